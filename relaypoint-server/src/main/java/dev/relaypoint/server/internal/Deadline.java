package dev.relaypoint.server.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One connection's absolute deadline (SECURITY-TESTS.md §3.4), moved on for every command and every
 * data block. Moving it is a field write: a timer is scheduled only when none is pending or the new
 * deadline is earlier than the pending one, and a timer that fires before the deadline (it moved on
 * meanwhile) sleeps again for the rest. Cancelling and scheduling a task per command, as before, cost
 * an allocation and two priority-queue operations on the event loop several times per message.
 * Confined to the connection's event loop.
 */
final class Deadline {

  private final EventExecutor executor;
  private final Runnable expired;
  private long at;
  private long timerAt;
  private ScheduledFuture<?> timer;

  Deadline(EventExecutor executor, Runnable expired) {
    this.executor = executor;
    this.expired = expired;
  }

  /** The deadline is now {@code timeout} from now. */
  void arm(Duration timeout) {
    long now = executor.ticker().nanoTime();
    at = now + timeout.toNanos();
    if (timer != null && at - timerAt < 0) {
      timer.cancel(false); // a shorter timeout than the pending timer's (data block, then command)
      timer = null;
    }
    if (timer == null) {
      schedule(now);
    }
  }

  /** No deadline any more (the connection is closed). */
  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void schedule(long now) {
    timerAt = at;
    timer = executor.schedule(this::fire, at - now, TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    long now = executor.ticker().nanoTime();
    if (at - now > 0) {
      schedule(now);
      return;
    }
    expired.run();
  }
}

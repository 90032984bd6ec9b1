package dev.relaypoint.mta.internal;

import dev.relaypoint.client.Destination;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code limit} concurrent deliveries per destination (a static route's server, the smarthost,
 * or one domain's MX set). A delivery thread waits at most {@link #WAIT} for a slot; a destination
 * still busy then postpones the group, so threads are never tied up long while other destinations
 * could be served.
 */
public final class DestinationLimits {

  private final int limit;
  private final ConcurrentHashMap<String, Semaphore> slots = new ConcurrentHashMap<>();

  public DestinationLimits(int limit) {
    this.limit = limit;
  }

  static final java.time.Duration WAIT = java.time.Duration.ofSeconds(1);

  public boolean tryAcquire(Destination d) {
    try {
      return slots.computeIfAbsent(d.toString(), k -> new Semaphore(limit))
          .tryAcquire(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public void release(Destination d) {
    slots.get(d.toString()).release();
  }

  /** Deliveries running to {@code d} now. */
  public int inUse(Destination d) {
    Semaphore s = slots.get(d.toString());
    return s == null ? 0 : limit - s.availablePermits();
  }
}

package dev.relaypoint.mta;

import dev.relaypoint.store.DeliveryQueue;
import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.QueueState;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator's queue operations (Postfix's postqueue/postsuper): flush, retry, hold, release,
 * delete. Run by the queue manager of a running server for requests from {@code relaypoint queue}
 * ({@link ControlFiles}), or directly by the CLI when no server holds the data directory. Deleting
 * never bounces. An entry in {@code active} belongs to a running attempt: hold takes effect when the
 * attempt ends, delete is refused.
 */
public final class QueueControl {

  /** The operations; {@link #FLUSH} takes no queue id, the others one. */
  public enum Action {
    FLUSH, RETRY, HOLD, RELEASE, DELETE;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One operation. */
  public record Request(Action action, Optional<String> queueId) {

    /** Parses {@code "flush"} or {@code "hold QID"}. */
    public static Request parse(String line) {
      String[] parts = line.trim().split(" ");
      Action a;
      try {
        a = Action.valueOf(parts[0].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown queue operation: " + parts[0], e);
      }
      if ((a == Action.FLUSH) != (parts.length == 1) || parts.length > 2) {
        throw new IllegalArgumentException("bad request: " + line.trim());
      }
      return new Request(a, parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
    }

    public String format() {
      return action.word() + queueId.map(id -> " " + id).orElse("");
    }
  }

  /** The outcome of a request. */
  public record Answer(Outcome outcome, String message) {

    /** OK; the id is not in the queue; the entry is in a state that does not allow it; another failure. */
    public enum Outcome { OK, UNKNOWN_ID, CONFLICT, FAILED }

    public String format() {
      return outcome.name() + " " + message;
    }

    public static Answer parse(String line) {
      String t = line.trim();
      int sp = t.indexOf(' ');
      try {
        return new Answer(Outcome.valueOf(sp < 0 ? t : t.substring(0, sp)), sp < 0 ? "" : t.substring(sp + 1));
      } catch (IllegalArgumentException e) {
        return new Answer(Outcome.FAILED, "unreadable answer: " + t);
      }
    }
  }

  /** What a running manager must learn about; {@link #NONE} when no manager runs. */
  public interface Live {
    Live NONE = new Live() {};

    default boolean isActive(String queueId) {
      return false;
    }

    /** Hold the entry when its running attempt ends. */
    default void holdAfterAttempt(String queueId) {}

    /** The entry (deferred or incoming) is due now. */
    default void dueNow(String queueId, QueueState state) {}
  }

  private final DeliveryQueue queue;
  private final Clock clock;
  private final Live live;

  public QueueControl(DeliveryQueue queue, Clock clock, Live live) {
    this.queue = queue;
    this.clock = clock;
    this.live = live;
  }

  public Answer apply(Request r) {
    try {
      if (r.action() == Action.FLUSH) {
        return flush();
      }
      String id = r.queueId().orElseThrow();
      Optional<QueueState> state;
      try {
        state = queue.locate(id);
      } catch (IllegalArgumentException e) {
        return new Answer(Answer.Outcome.UNKNOWN_ID, "no such queue id: " + id);
      }
      if (state.isEmpty()) {
        return new Answer(Answer.Outcome.UNKNOWN_ID, "no such queue id: " + id);
      }
      return apply(r.action(), id, state.get());
    } catch (NoSuchFileException e) {
      return new Answer(Answer.Outcome.CONFLICT, "the entry moved meanwhile; try again");
    } catch (IOException e) {
      return new Answer(Answer.Outcome.FAILED, e.getMessage());
    }
  }

  private Answer apply(Action action, String id, QueueState state) throws IOException {
    boolean active = state == QueueState.ACTIVE && live.isActive(id);
    switch (action) {
      case RETRY -> {
        if (state == QueueState.HOLD) {
          return new Answer(Answer.Outcome.CONFLICT, id + " is on hold: release it first");
        }
        if (state == QueueState.DEFERRED) {
          dueNow(id, state);
        }
        return ok(id + (active ? " is being delivered now" : " will be tried now"));
      }
      case HOLD -> {
        if (state == QueueState.HOLD) {
          return ok(id + " is already on hold");
        }
        if (active) {
          live.holdAfterAttempt(id);
          return ok(id + " will be held when the running attempt ends");
        }
        queue.move(id, state, QueueState.HOLD);
        return ok(id + " is on hold");
      }
      case RELEASE -> {
        if (state != QueueState.HOLD) {
          return new Answer(Answer.Outcome.CONFLICT, id + " is not on hold (it is " + state.directoryName() + ")");
        }
        queue.move(id, QueueState.HOLD, QueueState.DEFERRED);
        dueNow(id, QueueState.DEFERRED);
        return ok(id + " is released and will be tried now");
      }
      case DELETE -> {
        if (active) {
          return new Answer(Answer.Outcome.CONFLICT, id + " is being delivered now; hold it, then delete it");
        }
        queue.remove(id);
        return ok(id + " is deleted (no bounce sent)");
      }
      default -> throw new IllegalStateException("flush is handled above");
    }
  }

  private Answer flush() throws IOException {
    int n = 0;
    for (String id : queue.list(QueueState.DEFERRED)) {
      try {
        dueNow(id, QueueState.DEFERRED);
        n++;
      } catch (NoSuchFileException e) {
        // delivered or moved meanwhile
      }
    }
    for (String id : queue.list(QueueState.INCOMING)) {
      live.dueNow(id, QueueState.INCOMING);
    }
    return ok(n + " deferred " + (n == 1 ? "entry" : "entries") + " will be tried now");
  }

  private void dueNow(String id, QueueState state) throws IOException {
    Instant now = clock.instant();
    Optional<DeliveryStatus> s = queue.status(id);
    if (s.isPresent()) {
      queue.writeStatus(id, s.get().dueAt(now));
    }
    live.dueNow(id, state);
  }

  private static Answer ok(String message) {
    return new Answer(Answer.Outcome.OK, message);
  }
}

package dev.relaypoint.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * The queue as the queue manager sees it: committed entries move between the {@link QueueState}
 * directories, and each has an optional {@link DeliveryStatus} written atomically beside it.
 * {@link #open} and {@link #remove} find an entry in whichever state holds it.
 */
public interface DeliveryQueue extends MessageQueue {

  /** Queue ids in {@code state}, oldest first. */
  List<String> list(QueueState state) throws IOException;

  /** Which state holds the entry; empty when it is not queued. */
  Optional<QueueState> locate(String queueId);

  /**
   * Moves the entry durably (rename, then both directories forced).
   *
   * @throws NoSuchFileException when {@code from} does not hold it (someone else moved it)
   */
  void move(String queueId, QueueState from, QueueState to) throws IOException;

  /** The status written last; empty before the first attempt. */
  Optional<DeliveryStatus> status(String queueId) throws IOException;

  /** Replaces the status durably: after a crash it is either the old or the new one. */
  void writeStatus(String queueId, DeliveryStatus status) throws IOException;
}

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

  /**
   * Moves a new entry from INCOMING into ACTIVE for its first attempt. Unlike {@link #move} it may
   * skip forcing the directories: the attempt ends either in {@link #remove}, which then makes every
   * earlier name of the entry durably gone, or in a durable {@link #move}; a crash before either
   * leaves the entry under some name, and it is attempted again, the same window as a crash between
   * a delivery and its removal.
   *
   * @throws NoSuchFileException when INCOMING does not hold it
   */
  default void claimIncoming(String queueId) throws IOException {
    move(queueId, QueueState.INCOMING, QueueState.ACTIVE);
  }

  /** The status written last; empty before the first attempt. */
  Optional<DeliveryStatus> status(String queueId) throws IOException;

  /** Replaces the status durably: after a crash it is either the old or the new one. */
  void writeStatus(String queueId, DeliveryStatus status) throws IOException;
}

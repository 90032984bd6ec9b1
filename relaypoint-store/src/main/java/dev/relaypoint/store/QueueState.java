package dev.relaypoint.store;

import java.util.Locale;

/**
 * The queue directories a committed entry moves between, in the spirit of Postfix. An entry is in
 * exactly one of them; moves are atomic renames followed by forcing both directories.
 *
 * <ul>
 *   <li>{@link #INCOMING}: committed, waiting for its first delivery attempt (or put back by a flush).
 *   <li>{@link #ACTIVE}: owned by the queue manager, a delivery attempt may be running.
 *   <li>{@link #DEFERRED}: waiting for the next attempt time in its status file.
 *   <li>{@link #HOLD}: parked by an operator; never attempted until released.
 * </ul>
 * Entries that fail validation go to {@code corrupt/}, which is not a state: nothing reads it again.
 */
public enum QueueState {
  INCOMING, ACTIVE, DEFERRED, HOLD;

  /** The directory name under {@code queue/}. */
  public String directoryName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

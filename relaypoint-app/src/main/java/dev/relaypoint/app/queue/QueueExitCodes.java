package dev.relaypoint.app.queue;

/** Exit codes of {@code relaypoint queue}. */
public final class QueueExitCodes {

  public static final int OK = 0;
  /** The data directory cannot be read, or the running server did not answer. */
  public static final int FAILURE = 1;
  /** Bad command line. */
  public static final int USAGE = 2;
  /** No entry with that queue id (never queued, or already delivered, bounced or deleted). */
  public static final int UNKNOWN_ID = 3;
  /** The entry's state does not allow it (release of an entry not on hold, delete while being delivered). */
  public static final int CONFLICT = 4;

  private QueueExitCodes() {}
}

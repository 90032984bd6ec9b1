package dev.relaypoint.app.send;

/**
 * Exit codes of {@code relaypoint send}. Scripts can tell "do not retry" (3) from "retry later" (4):
 * after 4 the send state is kept, and running the same command again resumes the same transaction.
 */
public final class SendExitCodes {

  /** Every recipient was accepted and the server answered the final dot with 250. */
  public static final int OK = 0;

  /** A local problem: the message file or the state directory could not be read or written. */
  public static final int LOCAL_FAILURE = 1;

  /** Bad command line (picocli usage error, bad address, bad TRANSID). */
  public static final int USAGE = 2;

  /** Permanently rejected: a 5xx to MAIL, DATA or the message, or to at least one recipient, or no such domain. */
  public static final int REJECTED = 3;

  /** Gave up: every attempt broke (connection lost, timeout, 4xx), or a recipient stayed deferred. */
  public static final int GAVE_UP = 4;

  private SendExitCodes() {}
}

package dev.relaypoint.client;

import dev.relaypoint.smtp.Reply;
import java.util.List;

/** The server (or the DNS) refused the message permanently: retrying will not help. */
public final class RejectedException extends SendException {

  private static final long serialVersionUID = 1L;

  private final Reply reply;

  public RejectedException(String message, Reply reply, List<RecipientStatus> recipients, int attempts) {
    super(message, recipients, attempts, null);
    this.reply = reply;
  }

  /** The refusing reply (a synthetic 550/554 for DNS or size refusals decided by the client). */
  public Reply reply() {
    return reply;
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}

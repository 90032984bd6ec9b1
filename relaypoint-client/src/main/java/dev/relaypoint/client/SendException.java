package dev.relaypoint.client;

import java.util.List;

/**
 * A send that did not end with the message accepted. {@link RejectedException}: the server refused it
 * for good; {@link GaveUpException}: every attempt broke.
 */
public abstract sealed class SendException extends Exception permits RejectedException, GaveUpException {

  private static final long serialVersionUID = 1L;

  private final transient List<RecipientStatus> recipients;
  private final int attempts;

  SendException(String message, List<RecipientStatus> recipients, int attempts, Throwable cause) {
    super(message, cause);
    this.recipients = List.copyOf(recipients);
    this.attempts = attempts;
  }

  /** Recipient statuses known when the send stopped (may be empty). */
  public List<RecipientStatus> recipients() {
    return recipients;
  }

  public int attempts() {
    return attempts;
  }

  /** True when trying again later may succeed. */
  public abstract boolean isTransient();
}

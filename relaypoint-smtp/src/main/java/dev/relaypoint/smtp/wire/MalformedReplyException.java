package dev.relaypoint.smtp.wire;

import java.io.IOException;

/**
 * A server reply that breaks the SMTP reply grammar (RFC 5321 §4.2) or a bound of {@link ReplyReader}.
 * It is an {@link IOException} because the only safe reaction is to drop the connection: the reply
 * stream is no longer in step with the commands.
 */
public final class MalformedReplyException extends IOException {

  private static final long serialVersionUID = 1L;

  public MalformedReplyException(String message) {
    super(message);
  }
}

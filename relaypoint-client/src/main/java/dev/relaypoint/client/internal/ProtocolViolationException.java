package dev.relaypoint.client.internal;

import java.io.IOException;

/**
 * The server broke the protocol in a way that makes its checkpoint untrustworthy: a 355 offset that is
 * not a number, lies beyond the message or not at a line start, or a 355 to a MAIL without TRANSID.
 * The attempt fails, and later attempts to that address send the whole message without TRANSID.
 */
public final class ProtocolViolationException extends IOException {

  private static final long serialVersionUID = 1L;

  public ProtocolViolationException(String message) {
    super(message);
  }
}

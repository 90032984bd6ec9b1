package dev.relaypoint.client.internal;

import java.io.IOException;

/**
 * TLS was required and this server did not give it: no STARTTLS offered, a refusal, or a failed
 * handshake or certificate check. Thrown before MAIL; the address is never tried again in plaintext.
 */
public final class TlsRequiredException extends IOException {

  private static final long serialVersionUID = 1L;

  public TlsRequiredException(String message, Throwable cause) {
    super("TLS required: " + message, cause);
  }
}

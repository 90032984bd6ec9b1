package dev.relaypoint.client.internal;

import java.io.IOException;

/**
 * An opportunistic STARTTLS handshake failed. The connection is unusable (the server expects TLS
 * records), so the caller reconnects to the same address and continues in plaintext for this attempt.
 */
final class TlsHandshakeException extends IOException {

  private static final long serialVersionUID = 1L;

  TlsHandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}

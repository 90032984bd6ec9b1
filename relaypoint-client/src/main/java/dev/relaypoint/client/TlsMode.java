package dev.relaypoint.client;

import java.util.Locale;

/** Whether the client uses STARTTLS (RFC 3207), and what happens when it cannot. */
public enum TlsMode {

  /** Never sends STARTTLS: the whole session is plaintext. */
  NONE,

  /**
   * STARTTLS when the server offers it, without authenticating the server (RFC 7435): a server that
   * does not offer it, refuses it or fails the handshake gets the message in plaintext. Protects
   * against passive eavesdropping only; an active attacker can always strip the offer.
   */
  OPPORTUNISTIC,

  /**
   * STARTTLS with an authenticated server, or nothing: no offer, a refusal, or a failed handshake or
   * certificate check fails the attempt before MAIL, and nothing is ever sent in plaintext.
   */
  REQUIRED;

  /** {@code none}, {@code opportunistic} or {@code required}, in any case. */
  public static TlsMode parse(String text) {
    for (TlsMode m : values()) {
      if (m.name().equalsIgnoreCase(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("TLS mode must be none, opportunistic or required, not '" + text + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.relaypoint.client;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Observes a send (OkHttp's EventListener idea): progress bars, logs, metrics. Every method has a
 * no-op default. Called on the sending thread; keep it quick.
 */
public interface SendListener {

  SendListener NONE = new SendListener() {};

  /** Attempt {@code attempt} (1-based) is connecting to {@code address}. */
  default void connecting(int attempt, InetSocketAddress address) {}

  /** STARTTLS succeeded with {@code address}: the rest of this session is encrypted. */
  default void tlsStarted(InetSocketAddress address, String protocol, String cipherSuite) {}

  /** Opportunistic TLS did not happen with {@code address}; this session goes on in plaintext. */
  default void tlsSkipped(InetSocketAddress address, String reason) {}

  /** The server answered 355: data goes on from canonical octet {@code offset} of {@code size}. */
  default void restarting(long offset, long size) {}

  /** {@code sent} of {@code size} canonical octets are now on the wire in this attempt. */
  default void progress(long sent, long size) {}

  /** The attempt broke; the next one starts after {@code wait} (empty wait: no more attempts). */
  default void attemptFailed(int attempt, String reason, Duration wait) {}
}

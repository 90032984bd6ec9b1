package dev.relaypoint.client;

import java.time.Duration;

/**
 * Per-phase timeouts. The defaults are RFC 5321 §4.5.3.2: 5 minutes for the greeting, MAIL and RCPT,
 * 2 for the DATA reply, 3 per data block written, 10 for the reply to the final dot (long on purpose:
 * giving up early is what causes duplicate deliveries, RFC 1047). Connect and EHLO are not in the RFC;
 * they get 30 seconds and 5 minutes.
 */
public record Timeouts(Duration connect, Duration greeting, Duration command, Duration dataInit,
    Duration dataBlock, Duration finalReply) {

  public static Timeouts rfc5321() {
    return new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));
  }

  /** Every timeout set to {@code d}: handy in tests. */
  public static Timeouts all(Duration d) {
    return new Timeouts(d, d, d, d, d, d);
  }
}

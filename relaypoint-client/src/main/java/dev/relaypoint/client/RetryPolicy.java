package dev.relaypoint.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently to retry after a break. The wait before attempt {@code n + 1} is
 * {@code minDelay * multiplier^(n-1)}, capped at {@code maxDelay}.
 *
 * <p>RFC 1845 §3 asks the client to wait long enough for the server to notice the dead connection and
 * release the transaction, and to obey RFC 1123 §5.3.1.1 (an MTA retry interval of generally at least
 * 30 minutes, giving up after 4–5 days). {@link #interactive()} is for a person at a terminal or an
 * application waiting on a send; {@link #mta()} is the RFC 1123 queue-runner schedule.
 */
public record RetryPolicy(int maxAttempts, Duration minDelay, Duration maxDelay, double multiplier) {

  public RetryPolicy {
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay");
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be >= 1");
    }
  }

  /** 6 attempts, waiting 2 s, 4 s, 8 s, 16 s, 32 s: a minute in all. */
  public static RetryPolicy interactive() {
    return new RetryPolicy(6, Duration.ofSeconds(2), Duration.ofMinutes(1), 2.0);
  }

  /** RFC 1123 §5.3.1.1: 30 minutes, doubling up to 4 hours, for about 4 days. */
  public static RetryPolicy mta() {
    return new RetryPolicy(28, Duration.ofMinutes(30), Duration.ofHours(4), 2.0);
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, minDelay, maxDelay, multiplier);
  }

  /** The wait after failed attempt number {@code attempt} (1-based). */
  public Duration delayAfter(int attempt) {
    double millis = minDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
  }
}

package dev.relaypoint.mta;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a deferred message is tried again, and when the queue gives up. The delay after attempt
 * {@code n} is {@code minDelay * 2^(n-1)} capped at {@code maxDelay}, then spread by up to
 * {@code ±jitter} (chasquid's {@code nextDelay}), so messages deferred together do not all come back
 * in the same second. A message still undelivered {@code maxLifetime} after it was received is bounced
 * (Postfix's {@code maximal_queue_lifetime}; RFC 5321 §4.5.4.1 says 4–5 days).
 *
 * @param minDelay    first retry delay (Postfix {@code minimal_backoff_time}: 300 s)
 * @param maxDelay    cap of the backoff (Postfix {@code maximal_backoff_time}: 4000 s; we use 4 h)
 * @param jitter      the fraction of the delay added or removed at random, 0 to 0.5
 * @param maxLifetime give up after this long in the queue
 */
public record RetrySchedule(Duration minDelay, Duration maxDelay, double jitter, Duration maxLifetime) {

  /** 5 minutes doubling up to 4 hours, ±20%, bounce after 5 days. */
  public static final RetrySchedule DEFAULT =
      new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(4), 0.2, Duration.ofDays(5));

  public RetrySchedule {
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    if (minDelay.isNegative() || minDelay.isZero() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException("retry delays need 0 < min <= max");
    }
    if (jitter < 0 || jitter > 0.5) {
      throw new IllegalArgumentException("retry jitter must be between 0 and 0.5");
    }
    if (maxLifetime.isNegative() || maxLifetime.isZero()) {
      throw new IllegalArgumentException("queue lifetime must be positive");
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    double base = minDelay.toMillis() * Math.pow(2, Math.min(40, Math.max(0, attempt - 1)));
    base = Math.min(base, maxDelay.toMillis());
    double spread = jitter == 0 ? 0 : base * jitter * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(base + spread)));
  }
}

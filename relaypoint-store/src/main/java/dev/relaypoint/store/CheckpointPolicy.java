package dev.relaypoint.store;

import java.time.Duration;
import java.util.Objects;

/**
 * When a checkpointed transaction's data is forced to disk and its offset recorded: after every
 * {@code bytes} canonical octets and/or when {@code interval} has passed since the last checkpoint,
 * whichever comes first. A value of zero disables that trigger; at least one must be set.
 * {@code retention} is how long an interrupted or completed transaction is kept after its last
 * activity (RFC 1845 recommends at least 48 hours). {@code unauthenticatedRetention} (at most
 * {@code retention}) applies instead to interrupted transactions of clients that did not AUTH: anyone
 * can create those, so they may not hold disk for days (SECURITY-TESTS.md §4 A6). Completion
 * tombstones always keep {@code retention}: they are a few hundred bytes and what makes a resent final
 * dot idempotent.
 */
public record CheckpointPolicy(long bytes, Duration interval, Duration retention,
    Duration unauthenticatedRetention) {

  public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(1L << 20, Duration.ofSeconds(1),
      Duration.ofHours(48), Duration.ofHours(1));

  public CheckpointPolicy {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(unauthenticatedRetention, "unauthenticatedRetention");
    if (bytes < 0) {
      throw new IllegalArgumentException("checkpoint bytes must not be negative: " + bytes);
    }
    if (interval.isNegative() || retention.isNegative() || retention.isZero()
        || unauthenticatedRetention.isNegative() || unauthenticatedRetention.isZero()) {
      throw new IllegalArgumentException("checkpoint interval and retentions must be positive");
    }
    if (unauthenticatedRetention.compareTo(retention) > 0) {
      throw new IllegalArgumentException("the retention for unauthenticated clients ("
          + unauthenticatedRetention + ") must not exceed the retention (" + retention + ")");
    }
    if (bytes == 0 && interval.isZero()) {
      throw new IllegalArgumentException("at least one of checkpoint bytes and interval must be set");
    }
  }

  /** One retention for everyone. */
  public CheckpointPolicy(long bytes, Duration interval, Duration retention) {
    this(bytes, interval, retention, retention);
  }

  /** How long an interrupted transaction of this owner is kept after its last activity. */
  public Duration retentionOf(CheckpointOwner owner) {
    return owner.authenticated() ? retention : unauthenticatedRetention;
  }
}

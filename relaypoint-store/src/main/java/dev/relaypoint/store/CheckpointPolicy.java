package dev.relaypoint.store;

import java.time.Duration;
import java.util.Objects;

/**
 * When a checkpointed transaction's data is forced to disk and its offset recorded: after every
 * {@code bytes} canonical octets and/or when {@code interval} has passed since the last checkpoint,
 * whichever comes first. A value of zero disables that trigger; at least one must be set.
 * {@code retention} is how long an interrupted or completed transaction is kept after its last
 * activity (RFC 1845 recommends at least 48 hours).
 */
public record CheckpointPolicy(long bytes, Duration interval, Duration retention) {

  public static final CheckpointPolicy DEFAULT =
      new CheckpointPolicy(1L << 20, Duration.ofSeconds(1), Duration.ofHours(48));

  public CheckpointPolicy {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(retention, "retention");
    if (bytes < 0) {
      throw new IllegalArgumentException("checkpoint bytes must not be negative: " + bytes);
    }
    if (interval.isNegative() || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("checkpoint interval and retention must be positive");
    }
    if (bytes == 0 && interval.isZero()) {
      throw new IllegalArgumentException("at least one of checkpoint bytes and interval must be set");
    }
  }
}

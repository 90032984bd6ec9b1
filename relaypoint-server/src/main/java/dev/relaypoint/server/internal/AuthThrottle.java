package dev.relaypoint.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client-address AUTH backoff across connections (SECURITY-TESTS.md §3.8): after
 * {@value #FREE_FAILURES} failures in a row, each failure locks the address out of AUTH for twice as
 * long as the last (1 s, 2 s, 4 s ... at most 1 h). A success clears the record. The clock is the
 * server's, so tests can move it.
 */
final class AuthThrottle {

  static final int FREE_FAILURES = 5;
  private static final Duration MAX_LOCK = Duration.ofHours(1);
  private static final int MAX_TRACKED = 100_000;

  private record Failures(int count, Instant lockedUntil) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Failures> byAddress = new ConcurrentHashMap<>();

  AuthThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code address} may try AUTH now. */
  boolean allowed(String address) {
    Failures f = byAddress.get(address);
    return f == null || !clock.instant().isBefore(f.lockedUntil());
  }

  void failed(String address) {
    Instant now = clock.instant();
    if (byAddress.size() >= MAX_TRACKED) {
      byAddress.values().removeIf(f -> f.lockedUntil().isBefore(now.minus(MAX_LOCK)));
    }
    byAddress.merge(address, new Failures(1, now), (old, one) -> {
      int count = old.count() + 1;
      int doublings = Math.min(count - FREE_FAILURES, 20);
      Duration lock = doublings < 0 ? Duration.ZERO : Duration.ofSeconds(1L << doublings);
      return new Failures(count, now.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock));
    });
  }

  void succeeded(String address) {
    byAddress.remove(address);
  }
}

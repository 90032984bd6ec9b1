package dev.relaypoint.store.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Queue ids: 16 characters of lower-case Crockford base32, whose alphabet is in ASCII order, so ids
 * sort by time: 9 chars of epoch millis, 3 of a per-process counter, 4 of randomness (so two
 * processes, or a restart within one millisecond, do not collide). File-name safe on any system.
 */
public final class QueueIds {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final Pattern VALID = Pattern.compile("[0-9a-hjkmnp-tv-z]{16}");

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger counter = new AtomicInteger();

  public QueueIds(Clock clock) {
    this.clock = clock;
  }

  public String next() {
    StringBuilder sb = new StringBuilder(16);
    append(sb, clock.millis(), 9);
    append(sb, counter.getAndIncrement() & 0x7fff, 3);
    append(sb, random.nextInt(1 << 20), 4);
    return sb.toString();
  }

  /** True for strings that {@link #next()} could have produced: the only names we open or delete. */
  public static boolean isValid(String id) {
    return VALID.matcher(id).matches();
  }

  private static void append(StringBuilder sb, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      sb.append(ALPHABET[(int) ((value >>> (5 * i)) & 31)]);
    }
  }
}

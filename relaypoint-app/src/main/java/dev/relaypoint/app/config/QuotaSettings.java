package dev.relaypoint.app.config;

import dev.relaypoint.app.ConfigException;
import dev.relaypoint.server.CheckpointQuotas;
import java.util.function.Function;

/** The checkpoint quota settings of {@code relaypoint serve} (flags over file over defaults). */
final class QuotaSettings {

  private QuotaSettings() {}

  static CheckpointQuotas resolve(ConfigFile file, ServeSettings.Flags flags) {
    CheckpointQuotas.Builder q = CheckpointQuotas.DEFAULT.toBuilder();
    ServeSettings.apply(ServeSettings.pick(flags.checkpointMaxPerClient(), file.checkpointMaxPerClient()),
        "checkpoint-max-per-client", positive(Integer::longValue), n -> q.maxOpenPerClient(n.intValue()));
    ServeSettings.apply(ServeSettings.pick(flags.checkpointMaxBytesPerClient(), file.checkpointMaxBytesPerClient()),
        "checkpoint-max-bytes-per-client", positive(Sizes::parseSize), q::maxBytesPerClient);
    ServeSettings.apply(ServeSettings.pick(flags.checkpointMaxTotalBytes(), file.checkpointMaxTotalBytes()),
        "checkpoint-max-total-bytes", positive(Sizes::parseSize), q::maxTotalBytes);
    ServeSettings.apply(ServeSettings.pick(flags.checkpointMinFreeSpace(), file.checkpointMinFreeSpace()),
        "checkpoint-min-free-space", QuotaSettings::parseFloor, floor -> q.minFreeBytes(floor[0])
            .minFreePercent((int) floor[1]));
    try {
      return q.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** {@code 2G} (bytes) or {@code 5%} (of the file system): one floor replaces the other. */
  private static long[] parseFloor(String text) {
    String t = text.trim();
    if (!t.endsWith("%")) {
      return new long[] {Sizes.parseSize(t), 0};
    }
    String digits = t.substring(0, t.length() - 1).trim();
    if (!digits.matches("\\d{1,2}")) {
      throw new IllegalArgumentException("not a size or a percentage of 0-99: '" + text + "' (use e.g. 1G or 5%)");
    }
    return new long[] {0, Integer.parseInt(digits)};
  }

  private static <T> Function<T, Long> positive(Function<T, Long> parse) {
    return raw -> {
      long n = parse.apply(raw);
      if (n < 1) {
        throw new IllegalArgumentException("must be positive, not " + raw);
      }
      return n;
    };
  }
}

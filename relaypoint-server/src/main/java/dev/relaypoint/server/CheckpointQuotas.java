package dev.relaypoint.server;

/**
 * Limits on the disk that RFC 1845 checkpoints may hold (SECURITY-TESTS.md §4 A6): anyone who can
 * send mail can leave partial messages behind for the whole retention. A new checkpointed
 * transaction (MAIL with a TRANSID that resumes nothing) gets {@code 452 4.3.1} when its owner already
 * has {@code maxOpenPerClient} open checkpoints or {@code maxBytesPerClient} bytes in them (counting
 * the declared SIZE), when all open checkpoints hold {@code maxTotalBytes}, or when the data
 * directory's free space is below the floor; below the floor CHECKPOINT is not advertised either.
 * Resumes are always allowed: refusing them would only make the client send everything again.
 * A new checkpointed transfer that pushes its owner past {@code maxBytesPerClient} while data streams
 * is discarded at once and answered {@code 452 4.3.1} at its end (stopping to checkpoint instead would
 * mean copying the data to a plain spool file mid-transfer). A resumed transfer is never cut: the
 * client was promised its offset, and the message size limit bounds what it can add.
 *
 * <p>The owner is the AUTH identity when the client authenticated, else its address prefix of
 * {@code ownerPrefixV4} / {@code ownerPrefixV6} bits. These are wider than the resume binding's
 * prefix by default (an IPv6 client usually has a whole /64 to hop around in), because here a wider
 * prefix is the safe side. The count is checked at MAIL but a checkpoint is counted from its DATA, so
 * parallel sessions of one owner may overshoot by at most their number.
 *
 * @param minFreeBytes   free space floor in bytes (0: off)
 * @param minFreePercent free space floor in percent of the file system's size (0: off)
 */
public record CheckpointQuotas(int maxOpenPerClient, long maxBytesPerClient, long maxTotalBytes,
    long minFreeBytes, int minFreePercent, int ownerPrefixV4, int ownerPrefixV6) {

  public static final CheckpointQuotas DEFAULT = newBuilder().build();

  public CheckpointQuotas {
    if (maxOpenPerClient < 1 || maxBytesPerClient < 1 || maxTotalBytes < 1) {
      throw new IllegalArgumentException("checkpoint quotas must be positive");
    }
    if (minFreeBytes < 0 || minFreePercent < 0 || minFreePercent > 99) {
      throw new IllegalArgumentException("the free space floor must be 0 or more bytes, or 0-99 percent");
    }
    if (ownerPrefixV4 < 0 || ownerPrefixV4 > 32 || ownerPrefixV6 < 0 || ownerPrefixV6 > 128) {
      throw new IllegalArgumentException("quota owner prefix must be 0-32 (IPv4) and 0-128 (IPv6) bits");
    }
  }

  /** Whether {@code usable} of {@code total} bytes free is below the floor. */
  public boolean belowFloor(long usable, long total) {
    return usable < minFreeBytes || (double) usable * 100 < (double) total * minFreePercent;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().maxOpenPerClient(maxOpenPerClient).maxBytesPerClient(maxBytesPerClient)
        .maxTotalBytes(maxTotalBytes).minFreeBytes(minFreeBytes).minFreePercent(minFreePercent)
        .ownerPrefix(ownerPrefixV4, ownerPrefixV6);
  }

  /** Defaults: 16 open checkpoints and 1 GiB per owner, 10 GiB in all, 1 GiB free; owners by /32 and /64. */
  public static final class Builder {
    private int maxOpenPerClient = 16;
    private long maxBytesPerClient = 1L << 30;
    private long maxTotalBytes = 10L << 30;
    private long minFreeBytes = 1L << 30;
    private int minFreePercent;
    private int ownerPrefixV4 = 32;
    private int ownerPrefixV6 = 64;

    private Builder() {}

    public Builder maxOpenPerClient(int n) {
      this.maxOpenPerClient = n;
      return this;
    }

    public Builder maxBytesPerClient(long bytes) {
      this.maxBytesPerClient = bytes;
      return this;
    }

    public Builder maxTotalBytes(long bytes) {
      this.maxTotalBytes = bytes;
      return this;
    }

    public Builder minFreeBytes(long bytes) {
      this.minFreeBytes = bytes;
      return this;
    }

    public Builder minFreePercent(int percent) {
      this.minFreePercent = percent;
      return this;
    }

    public Builder ownerPrefix(int v4Bits, int v6Bits) {
      this.ownerPrefixV4 = v4Bits;
      this.ownerPrefixV6 = v6Bits;
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public CheckpointQuotas build() {
      return new CheckpointQuotas(maxOpenPerClient, maxBytesPerClient, maxTotalBytes, minFreeBytes,
          minFreePercent, ownerPrefixV4, ownerPrefixV6);
    }
  }
}

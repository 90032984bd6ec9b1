package dev.relaypoint.server.internal;

import dev.relaypoint.server.CheckpointQuotas;
import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.CheckpointUsage;
import dev.relaypoint.store.CheckpointUsage.DiskSpace;
import dev.relaypoint.store.CheckpointUsage.OwnerUsage;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link CheckpointQuotas} to the store's {@link CheckpointUsage}; shared by all sessions. The
 * free-space answer is cached for a second: every EHLO asks, and statfs is a system call.
 */
final class CheckpointQuotaGate {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointQuotaGate.class);
  private static final long DISK_CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final CheckpointQuotas quotas;
  private final CheckpointUsage usage;
  private final LongSupplier nanoTime;
  private boolean diskLow;
  private long diskCheckedAt;
  private boolean diskChecked;

  CheckpointQuotaGate(CheckpointQuotas quotas, CheckpointUsage usage, LongSupplier nanoTime) {
    this.quotas = quotas;
    this.usage = usage;
    this.nanoTime = nanoTime;
  }

  /** The AUTH identity if any (it follows the user), else the client's address prefix. */
  CheckpointOwner owner(Session session) {
    return session.authIdentity().map(id -> new CheckpointOwner("auth:" + id, true))
        .orElseGet(() -> new CheckpointOwner(AddressPrefix.network(session.clientAddress(),
            quotas.ownerPrefixV4(), quotas.ownerPrefixV6()), false));
  }

  /**
   * Whether the session's owner may open another checkpoint of {@code declaredSize} octets (-1:
   * unknown). A client in {@code trusted-networks} has no per-client quota (it is the operator's own
   * relay or submission host, whose many parallel sessions share one address); the total cap and the
   * free-space floor hold for everyone.
   */
  boolean admitsNew(Session session, long declaredSize) {
    CheckpointOwner owner = owner(session);
    boolean trusted = session.trustedNetwork();
    long size = Math.max(0, declaredSize);
    OwnerUsage mine = usage.owner(owner.key());
    long total = usage.totalBytes();
    String refusal = !trusted && mine.open() >= quotas.maxOpenPerClient() ? "open checkpoints"
        : !trusted && exceeds(mine.bytes(), size, quotas.maxBytesPerClient()) ? "bytes"
        : exceeds(total, size, quotas.maxTotalBytes()) ? "total bytes"
        : diskLow() ? "free disk space" : null;
    if (refusal != null) {
      LOG.info("refusing a new checkpointed transaction of {}: {} quota ({} open, {} bytes; {} bytes in all)",
          owner.key(), refusal, mine.open(), mine.bytes(), total);
    }
    return refusal == null;
  }

  /**
   * A check, asked as the session's data streams in, whether its owner's open checkpoints now hold
   * more than the byte quota; never true for a trusted client.
   */
  BooleanSupplier overBytes(Session session) {
    if (session.trustedNetwork()) {
      return () -> false;
    }
    String owner = owner(session).key();
    return () -> usage.owner(owner).bytes() > quotas.maxBytesPerClient();
  }

  /** Whether the data directory's free space is below the floor (then no CHECKPOINT is offered). */
  synchronized boolean diskLow() {
    long now = nanoTime.getAsLong();
    if (!diskChecked || now - diskCheckedAt >= DISK_CACHE_NANOS) {
      diskChecked = true;
      diskCheckedAt = now;
      try {
        DiskSpace space = usage.diskSpace();
        diskLow = quotas.belowFloor(space.usable(), space.total());
      } catch (IOException e) {
        // Fail open: without an answer we keep serving as before the floor existed, and say so.
        LOG.warn("cannot read the free space of the checkpoint directory: {}", e.toString());
        diskLow = false;
      }
    }
    return diskLow;
  }

  private static boolean exceeds(long used, long adding, long limit) {
    return used >= limit || used + adding > limit;
  }
}

package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointStore.ReapResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes checkpoint directories idle for longer than their retention (RFC 1845 §3 ¶9): the shorter
 * one for an interrupted transaction of an unauthenticated owner, else the full one
 * ({@link dev.relaypoint.store.CheckpointPolicy}).
 */
final class Reaper {

  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final StoreContext ctx;
  private final Leases leases;
  private final UsageLedger usage;

  Reaper(StoreContext ctx, Leases leases, UsageLedger usage) {
    this.ctx = ctx;
    this.leases = leases;
    this.usage = usage;
  }

  ReapResult reap() throws IOException {
    Instant now = ctx.clock().instant();
    new DoneSweeper(ctx).sweep(now);
    int count = 0;
    long bytes = 0;
    for (Path dir : CheckpointInspector.dirs(ctx.layout())) {
      String name = dir.getFileName().toString();
      // Holding the lease while we look keeps a session from taking the key mid-delete.
      if (!leases.tryAcquire(name, this)) {
        continue;
      }
      try {
        // A commit whose background steps failed holds an acknowledged message that is not queued
        // yet: leave it to the next user of the key or to recovery.
        if (ctx.publishing().await(dir) && expiry(dir).isBefore(now)) {
          long size = SafeFiles.sizeOfTree(dir);
          // Not while a queued transaction's tombstone is being written into the directory, and
          // judged again under that exclusion: one may have been written since.
          if (ctx.completions().unlessRecording(name, () -> expiry(dir).isBefore(now) && delete(dir))) {
            usage.forget(name);
            count++;
            bytes += size;
          }
        }
      } finally {
        leases.release(name, this);
      }
    }
    if (count > 0) {
      CheckpointInspector.await(ctx.committer().forceDirs(ctx.layout().checkpoints()));
      log.info("reaped {} expired checkpoints, {} bytes", count, bytes);
    }
    return new ReapResult(count, bytes);
  }

  private boolean delete(Path dir) throws IOException {
    ctx.files().deleteTree(dir);
    return true;
  }

  /**
   * When the directory expires: the newest journal record's time (written with the injected clock)
   * plus the owner's retention, or the full one for a completed transaction; for a journal we cannot
   * read, or none, the newest file modification time plus the full retention.
   */
  private Instant expiry(Path dir) throws IOException {
    Path journal = StoreLayout.journal(dir);
    if (Files.exists(journal)) {
      try {
        var state = Journal.read(journal);
        if (state.isPresent()) {
          Journal.State js = state.get();
          Instant last = Instant.ofEpochMilli(js.lastActivityMillis());
          return last.plus(js.completed().isPresent() ? ctx.policy().retention()
              : ctx.policy().retentionOf(js.open().owner()));
        }
      } catch (CorruptRecordException e) {
        // fall through to file times
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(Reaper::modified).max(Instant::compareTo).orElse(Instant.EPOCH)
          .plus(ctx.policy().retention());
    }
  }

  private static Instant modified(Path p) {
    try {
      FileTime t = Files.getLastModifiedTime(p);
      return t.toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }
}

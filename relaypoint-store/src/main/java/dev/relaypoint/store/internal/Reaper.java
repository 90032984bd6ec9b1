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

/** Deletes checkpoint directories idle for longer than the retention (RFC 1845 §3 ¶9). */
final class Reaper {

  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final StoreContext ctx;
  private final Leases leases;

  Reaper(StoreContext ctx, Leases leases) {
    this.ctx = ctx;
    this.leases = leases;
  }

  ReapResult reap() throws IOException {
    Instant cutoff = ctx.clock().instant().minus(ctx.policy().retention());
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
        if (ctx.publishing().await(dir) && lastActivity(dir).isBefore(cutoff)) {
          long size = SafeFiles.sizeOfTree(dir);
          ctx.files().deleteTree(dir);
          count++;
          bytes += size;
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

  /**
   * The newest journal record's time (written with the injected clock); for a journal we cannot
   * read, or none, the newest file modification time.
   */
  private static Instant lastActivity(Path dir) throws IOException {
    Path journal = StoreLayout.journal(dir);
    if (Files.exists(journal)) {
      try {
        var state = Journal.read(journal);
        if (state.isPresent()) {
          return Instant.ofEpochMilli(state.get().lastActivityMillis());
        }
      } catch (CorruptRecordException e) {
        // fall through to file times
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(Reaper::modified).max(Instant::compareTo).orElse(Instant.EPOCH);
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

package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reaper's pass over {@code queue/done/}: a delivered entry kept as a completion record gives way
 * to a small tombstone journal once its client has had {@link #GRACE} to come back, and goes without
 * one when retention is over; a file the index no longer remembers (its key was forgotten) goes at
 * once. Deleting a done file is not forced: one a crash brings back is read by recovery again.
 */
final class DoneSweeper {

  /** How long a delivered entry may stand in for a tombstone: a client's reconnect is quicker. */
  static final Duration GRACE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(DoneSweeper.class);

  private final StoreContext ctx;

  DoneSweeper(StoreContext ctx) {
    this.ctx = ctx;
  }

  /** Returns how many tombstones it wrote. */
  int sweep(Instant now) throws IOException {
    int tombstones = 0;
    for (Path file : SafeFiles.list(ctx.layout().done())) {
      String qid = file.getFileName().toString();
      Optional<QueuedCompletions.Completion> remembered = ctx.completions().done(qid);
      if (remembered.isEmpty() && ctx.completions().isMoving(qid)) {
        continue;
      }
      if (remembered.isPresent()) {
        QueuedCompletions.Completion c = remembered.get();
        Instant at = Instant.ofEpochMilli(c.at());
        if (at.plus(ctx.policy().retention()).isBefore(now)) {
          ctx.completions().expire(c);
        } else if (at.plus(GRACE).isBefore(now)) {
          ctx.completions().replaceWithTombstone(c, t -> Tombstones.write(ctx, t));
          tombstones++;
        } else {
          continue;
        }
      }
      ctx.ops().delete(file);
    }
    if (tombstones > 0) {
      log.info("replaced {} delivered entries kept for their clients with tombstones", tombstones);
    }
    return tombstones;
  }
}

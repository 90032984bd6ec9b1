package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the tombstone of a transaction that completed straight into the queue, when the reaper
 * retires its delivered entry from {@code queue/done/} ({@link DoneSweeper}):
 * {@code checkpoints/<h>/journal} with OPEN and COMPLETED, forced together with {@code <h>} and
 * {@code checkpoints/}. From then on it is an ordinary completed checkpoint (state (5) in
 * package-info), read and expired as one.
 */
final class Tombstones {

  private static final Logger log = LoggerFactory.getLogger(Tombstones.class);

  private Tombstones() {}

  /** Returns once the tombstone is durable. Must not run on the committer thread. */
  static void write(StoreContext ctx, QueuedCompletions.Completion c) throws IOException {
    Path dir = ctx.layout().checkpointDir(c.keyFileName());
    Path journalPath = StoreLayout.journal(dir);
    if (SafeFiles.exists(journalPath)) {
      // Only a reused TRANSID gets here: the journal of the later transaction speaks for the key.
      log.warn("not recording the completion of {} in {}: a journal is already there", c.queueId(),
          dir.getFileName());
      return;
    }
    ctx.files().deleteTree(dir); // data of a later transfer that never reached a checkpoint
    ctx.spares().createDirectory(dir);
    FileChannel journal = ctx.spares().create(journalPath);
    try {
      ctx.ops().write(journal, new JournalRecord.Open(c.queueId(), c.envelope(), c.at(), c.owner()).encode());
      ctx.ops().write(journal, new JournalRecord.Completed(c.queueId(), c.size(), c.crc(), c.at()).encode());
      CheckpointInspector.await(ctx.committer().force(List.of(journal),
          List.of(dir, ctx.layout().checkpoints())));
    } finally {
      SafeFiles.closeQuietly(journal);
    }
  }
}

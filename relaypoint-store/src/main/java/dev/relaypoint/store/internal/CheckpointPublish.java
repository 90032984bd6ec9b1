package dev.relaypoint.store.internal;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The steps after a checkpointed message is durable (package-info, "checkpointed commit"): rename
 * {@code <h>/message} to {@code incoming/.<qid>.part}, append COMPLETED, force the journal and both
 * directories in one round, then rename the part file to {@code <qid>} (visible). Shared by the
 * writer (in the background after the 250) and the inspector (repairing what a crash or an I/O error
 * left); every step is skipped if a crash already did it, so running it again is harmless.
 */
final class CheckpointPublish {

  private CheckpointPublish() {}

  /**
   * {@code completed} is appended to {@code journal} unless it is null (already recorded). Runs its
   * file operations on the calling thread and its force on the committer.
   */
  static CompletableFuture<Void> run(StoreContext ctx, Path dir, String queueId, FileChannel journal,
      JournalRecord.Completed completed) {
    FileOps ops = ctx.ops();
    Path message = StoreLayout.message(dir);
    Path part = ctx.layout().part(queueId);
    return SafeFiles.step(() -> {
      if (SafeFiles.exists(message)) {
        ops.move(message, part);
      }
      ops.reached(CrashPoint.AFTER_RENAME);
      if (completed != null) {
        ops.write(journal, completed.encode());
      }
    }).thenCompose(v -> {
      List<FileChannel> files = new ArrayList<>();
      if (completed != null) {
        files.add(journal);
      }
      return ctx.committer().force(files, List.of(ctx.layout().incoming(), dir));
    }).thenCompose(v -> SafeFiles.step(() -> {
      ops.reached(CrashPoint.AFTER_COMPLETED);
      // No fsync: COMPLETED is durable, a lost rename leaves the part file for recovery to publish,
      // and the queue manager forces incoming/ when it moves the entry on.
      ops.move(part, ctx.layout().entry(queueId));
    }));
  }
}

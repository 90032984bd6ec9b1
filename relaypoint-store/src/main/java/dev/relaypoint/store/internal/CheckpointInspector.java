package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one checkpoint directory means and repairs what a crash left behind; used at
 * start-up and by {@code CheckpointLease.state()}. The rules are in package-info.
 */
final class CheckpointInspector {

  private static final Logger log = LoggerFactory.getLogger(CheckpointInspector.class);

  enum Outcome { ABSENT, NO_JOURNAL, CORRUPT, INTERRUPTED, COMPLETED, COMPLETED_NOW }

  record Result(Outcome outcome, Optional<CheckpointState> state, Optional<Journal.State> journal) {
    static Result of(Outcome o) {
      return new Result(o, Optional.empty(), Optional.empty());
    }
  }

  private final StoreContext ctx;

  CheckpointInspector(StoreContext ctx) {
    this.ctx = ctx;
  }

  /** Must not run on the committer thread: it waits for forces. */
  Result settle(Path dir) throws IOException {
    if (!SafeFiles.isDirectory(dir)) {
      return Result.of(Outcome.ABSENT);
    }
    FileOps ops = ctx.ops();
    Path journalPath = StoreLayout.journal(dir);
    if (!SafeFiles.exists(journalPath)) {
      return Result.of(Outcome.NO_JOURNAL);
    }
    Journal.State js;
    try {
      Optional<Journal.State> read = Journal.read(journalPath);
      if (read.isEmpty()) {
        log.info("dropping the journal of {}: its creation never finished", dir.getFileName());
        ops.delete(journalPath);
        return Result.of(Outcome.NO_JOURNAL);
      }
      js = read.get();
    } catch (CorruptRecordException e) {
      quarantine(dir, e.getMessage());
      return Result.of(Outcome.CORRUPT);
    }
    if (js.tornTail()) {
      log.info("dropping a torn journal tail in {} after offset {}", dir, js.validLength());
      try (FileChannel ch = ops.openAppend(journalPath)) {
        ops.truncate(ch, js.validLength());
        await(ctx.committer().forceFile(ch));
      }
    }
    String qid = js.open().queueId();
    Path message = StoreLayout.message(dir);
    // The queue manager may already have moved the entry on from incoming/.
    Optional<Path> entry = ctx.layout().findEntry(qid);
    if (entry.isPresent()) {
      ops.delete(message);
      if (js.completed().isPresent()) {
        return completed(js, js.completed().get(), Outcome.COMPLETED);
      }
      // The crash came between the rename into the queue and a durable COMPLETED.
      return publish(dir, js, entry.get());
    }
    Path part = ctx.layout().part(qid);
    if (SafeFiles.exists(part)) {
      return publish(dir, js, part); // COMPLETED or the visible rename is missing
    }
    Optional<EntryFile.Header> complete = completeMessage(dir);
    if (complete.isPresent()) {
      if (!complete.get().queueId().equals(qid)) {
        quarantine(dir, "message file belongs to " + complete.get().queueId());
        return Result.of(Outcome.CORRUPT);
      }
      return publish(dir, js, message); // the final dot was durable: acknowledged or about to be
    }
    if (js.completed().isPresent()) {
      ops.delete(message);
      return completed(js, js.completed().get(), Outcome.COMPLETED);
    }
    if (!SafeFiles.exists(message)) {
      return unusable(dir, "neither the message nor queue entry " + qid + " exists", js);
    }
    try (FileChannel ch = FileChannel.open(message, StandardOpenOption.READ)) {
      EntryFile.Header h = EntryFile.readHeader(ch);
      if (!h.queueId().equals(qid) || ch.size() < h.dataStart() + js.progress()) {
        throw new CorruptRecordException("message file does not hold the checkpointed data");
      }
    } catch (CorruptRecordException e) {
      return unusable(dir, e.getMessage(), js);
    }
    var state = new CheckpointState.Interrupted(js.open().envelope(), js.progress());
    return new Result(Outcome.INTERRUPTED, Optional.of(state), Optional.of(js));
  }

  /**
   * The message of an open transaction is missing or unreadable. If the journal promised nothing yet
   * (OPEN only: the first checkpoint's round, which forces journal and message together, was cut by a
   * crash after the journal's force), the transfer never reached a checkpoint: deleted, like one
   * without a journal. Otherwise an offset was promised for data that is not there: quarantined.
   */
  private Result unusable(Path dir, String problem, Journal.State js) throws IOException {
    if (js.progress() == 0) {
      log.info("dropping checkpoint {}: its first checkpoint never finished ({})", dir.getFileName(), problem);
      ctx.files().deleteTree(dir);
      return Result.of(Outcome.NO_JOURNAL);
    }
    quarantine(dir, problem);
    return Result.of(Outcome.CORRUPT);
  }

  /**
   * The header of {@code <h>/message} if it is complete (header and trailer valid): the client sent
   * the final dot and the commit made it durable. A suspended file never ends in a trailer.
   */
  static Optional<EntryFile.Header> completeMessage(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(StoreLayout.message(dir), StandardOpenOption.READ)) {
      EntryFile.Header h = EntryFile.readHeader(ch);
      EntryFile.readTrailer(ch, h.dataStart());
      return Optional.of(h);
    } catch (NoSuchFileException | CorruptRecordException e) {
      return Optional.empty();
    }
  }

  /** Finishes a completed transaction whose message is at {@code file}: queued, COMPLETED durable. */
  private Result publish(Path dir, Journal.State js, Path file) throws IOException {
    String qid = js.open().queueId();
    EntryRecords.Trailer t;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      EntryFile.Header h = EntryFile.readHeader(ch);
      if (!h.queueId().equals(qid)) {
        throw new CorruptRecordException("header names queue id " + h.queueId());
      }
      t = EntryFile.readTrailer(ch, h.dataStart());
    } catch (CorruptRecordException e) {
      quarantine(dir, "completed message " + qid + " is invalid: " + e.getMessage());
      return Result.of(Outcome.CORRUPT);
    }
    JournalRecord.Completed c = js.completed()
        .orElse(new JournalRecord.Completed(qid, t.size(), t.crc(), ctx.clock().millis()));
    if (file.getParent().equals(dir) || file.equals(ctx.layout().part(qid))) {
      try (FileChannel journal = ctx.ops().openAppend(StoreLayout.journal(dir))) {
        await(CheckpointPublish.run(ctx, dir, qid, journal, js.completed().isPresent() ? null : c));
      }
      ctx.listeners().fire(qid);
    } else if (js.completed().isEmpty()) {
      try (FileChannel journal = ctx.ops().openAppend(StoreLayout.journal(dir))) {
        ctx.ops().write(journal, c.encode());
        await(ctx.committer().forceFile(journal));
      }
    }
    log.info("recorded completion of {} (queued as {})", dir.getFileName(), qid);
    return completed(js, c, Outcome.COMPLETED_NOW);
  }

  private static Result completed(Journal.State js, JournalRecord.Completed c, Outcome o) {
    var state = new CheckpointState.Completed(js.open().envelope(), c.queueId(), c.size());
    return new Result(o, Optional.of(state), Optional.of(js));
  }

  /** Moves the whole directory to corrupt/: it is kept for a human, never resumed. */
  void quarantine(Path dir, String reason) throws IOException {
    Path target = ctx.layout().corrupt()
        .resolve("checkpoint-" + dir.getFileName() + "-" + ctx.clock().millis());
    log.warn("quarantining checkpoint {} as {}: {}", dir, target.getFileName(), reason);
    ctx.ops().move(dir, target);
    await(ctx.committer().forceDirs(ctx.layout().corrupt(), ctx.layout().checkpoints()));
  }

  static void await(java.util.concurrent.CompletableFuture<Void> f) throws IOException {
    try {
      f.join();
    } catch (RuntimeException e) {
      Throwable c = SafeFiles.cause(e);
      throw c instanceof IOException io ? io : new IOException(c);
    }
  }

  static List<Path> dirs(StoreLayout layout) throws IOException {
    return SafeFiles.list(layout.checkpoints()).stream().filter(Files::isDirectory).toList();
  }
}

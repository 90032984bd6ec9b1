package dev.relaypoint.store.internal;

import dev.relaypoint.store.QueueState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up recovery: runs once, synchronously, before the store is handed out. */
public final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  /** What recovery did, for the summary log line and for tests. */
  public record Report(int tmpDeleted, int entriesValid, int entriesQuarantined,
      int checkpointsInterrupted, int checkpointsCompleted, int completionsRecorded,
      int checkpointsWithoutJournal, int checkpointsQuarantined, int queuedCompletions) {

    @Override
    public String toString() {
      return entriesValid + " queued, " + checkpointsInterrupted + " resumable and " + checkpointsCompleted
          + " completed transactions (" + completionsRecorded + " completions recorded now), "
          + queuedCompletions + " completed transactions remembered by their queue files; quarantined "
          + (entriesQuarantined + checkpointsQuarantined) + " to corrupt/; removed " + tmpDeleted
          + " unfinished messages and " + checkpointsWithoutJournal + " transfers that never reached a checkpoint";
    }
  }

  private final StoreContext ctx;
  private final CheckpointInspector inspector;
  private final UsageLedger usage;

  /** {@code usage} learns every checkpoint that recovery leaves open (interrupted, resumable). */
  Recovery(StoreContext ctx, UsageLedger usage) {
    this.ctx = ctx;
    this.inspector = new CheckpointInspector(ctx);
    this.usage = usage;
  }

  public Report run() throws IOException {
    StoreLayout layout = ctx.layout();
    int tmp = 0;
    for (Path p : SafeFiles.list(layout.tmp())) { // the layout before part files; nothing acknowledged
      ctx.files().deleteTree(p);
      tmp++;
    }
    for (Path p : SafeFiles.list(layout.spare())) { // recycled files: nothing in them is queued
      ctx.files().deleteTree(p);
    }
    tmp += publishParts();
    int valid = 0;
    int badEntries = 0;
    // Entries first: a checkpoint whose message was queued is judged by a verified entry.
    Set<String> queued = new HashSet<>();
    List<QueuedCompletions.Completion> tagged = new ArrayList<>();
    for (QueueState state : QueueState.values()) {
      for (Path p : SafeFiles.list(layout.queue(state))) {
        Checked checked = checkEntry(p);
        String problem = checked.problem();
        if (problem == null && !queued.add(p.getFileName().toString())) {
          problem = "queued twice"; // cannot happen with renames; never deliver it twice
        }
        if (problem == null) {
          valid++;
          checked.completion(p).ifPresent(tagged::add);
        } else {
          quarantineEntry(p, problem);
          badEntries++;
        }
      }
    }
    // A status whose entry is gone was left by a crash during removal (entry first, then status).
    for (Path p : SafeFiles.list(layout.status())) {
      if (!queued.contains(p.getFileName().toString())) {
        ctx.ops().delete(p);
      }
    }
    int[] counts = new int[CheckpointInspector.Outcome.values().length];
    for (Path dir : CheckpointInspector.dirs(layout)) {
      // The layout before in-place journals wrote journal.tmp first; only a crash can have left one.
      ctx.ops().delete(StoreLayout.journal(dir).resolveSibling("journal.tmp"));
      CheckpointInspector.Result result = inspector.settle(dir);
      CheckpointInspector.Outcome o = result.outcome();
      if (o == CheckpointInspector.Outcome.INTERRUPTED) {
        Journal.State js = result.journal().orElseThrow();
        usage.track(dir.getFileName().toString(), js.open().owner(),
            Files.size(StoreLayout.message(dir)), js.lastActivityMillis());
      } else if (o == CheckpointInspector.Outcome.NO_JOURNAL) {
        // Data but no checkpoint was ever taken, so no offset was ever promised for it.
        ctx.files().deleteTree(dir);
      }
      counts[o.ordinal()]++;
    }
    // After the checkpoint directories are settled: a tagged entry is the completion record of its
    // transaction unless a journal speaks for the key (its tombstone, or a later transaction).
    for (QueuedCompletions.Completion c : tagged) {
      if (!hasJournal(c)) {
        ctx.completions().add(c);
      }
    }
    recoverDone();
    CheckpointInspector.await(ctx.committer().forceDirs(layout.tmp(), layout.incoming(), layout.checkpoints(),
        layout.status()));
    Report r = new Report(tmp, valid, badEntries,
        counts[CheckpointInspector.Outcome.INTERRUPTED.ordinal()],
        counts[CheckpointInspector.Outcome.COMPLETED.ordinal()],
        counts[CheckpointInspector.Outcome.COMPLETED_NOW.ordinal()],
        counts[CheckpointInspector.Outcome.NO_JOURNAL.ordinal()],
        counts[CheckpointInspector.Outcome.CORRUPT.ordinal()],
        ctx.completions().size());
    log.info("store recovery in {}: {}", layout.root(), r);
    return r;
  }

  /**
   * Part files in incoming/: a complete one (header and trailer valid) was forced together with its
   * directory entry and may have been acknowledged, so it becomes {@code <qid>}; any other was never
   * acknowledged and is deleted. Returns how many were deleted.
   */
  private int publishParts() throws IOException {
    int deleted = 0;
    for (Path p : SafeFiles.list(ctx.layout().incoming())) {
      Optional<String> qid = StoreLayout.partQueueId(p);
      if (qid.isEmpty()) {
        continue;
      }
      Path entry = ctx.layout().entry(qid.get());
      String problem = checkEntry(p, qid.get()).problem();
      if (problem == null && !Files.exists(entry)) {
        ctx.ops().move(p, entry);
        log.info("published {}, durable before a crash (maybe acknowledged)", qid.get());
      } else {
        log.info("deleting unfinished message {}: {}", p.getFileName(), problem == null ? "already queued" : problem);
        ctx.ops().delete(p);
        deleted++;
      }
    }
    return deleted;
  }

  private boolean hasJournal(QueuedCompletions.Completion c) {
    return SafeFiles.exists(StoreLayout.journal(ctx.layout().checkpointDir(c.keyFileName())));
  }

  /**
   * Delivered entries kept as completion records: remembered again unless a journal speaks for the
   * key (the reaper's tombstone, written before the file's unforced deletion was lost); never queued.
   */
  private void recoverDone() throws IOException {
    for (Path p : SafeFiles.list(ctx.layout().done())) {
      Checked checked = checkEntry(p);
      Optional<QueuedCompletions.Completion> c = checked.completion(p);
      if (c.isPresent() && !hasJournal(c.get())) {
        ctx.completions().addDone(c.get());
      } else {
        log.info("deleting delivered entry {}: {}", p.getFileName(),
            checked.problem() == null ? "no longer needed" : checked.problem());
        ctx.ops().delete(p);
      }
    }
  }

  /** A checked entry file: {@code problem} is null when it is valid, else why not. */
  private record Checked(String problem, EntryFile.Header header, EntryRecords.Trailer trailer) {

    static Checked invalid(String problem) {
      return new Checked(problem, null, null);
    }

    /** The completion a valid entry records, if it was received with TRANSID. */
    Optional<QueuedCompletions.Completion> completion(Path file) throws IOException {
      if (problem != null || header.transaction().isEmpty()) {
        return Optional.empty();
      }
      TransactionTag tag = header.transaction().get();
      return Optional.of(new QueuedCompletions.Completion(tag.keyFileName(), header.queueId(),
          header.envelope(), tag.owner(), trailer.size(), trailer.crc(),
          Files.getLastModifiedTime(file).toMillis()));
    }
  }

  private static Checked checkEntry(Path p) throws IOException {
    String name = p.getFileName().toString();
    if (!QueueIds.isValid(name)) {
      return Checked.invalid("not a queue entry name");
    }
    return checkEntry(p, name);
  }

  /** Whether {@code p} is a complete entry file of {@code queueId}. */
  private static Checked checkEntry(Path p, String queueId) throws IOException {
    if (!Files.isRegularFile(p)) {
      return Checked.invalid("not a regular file");
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      EntryFile.Header h = EntryFile.readHeader(ch);
      if (!h.queueId().equals(queueId)) {
        return Checked.invalid("header names queue id " + h.queueId());
      }
      return new Checked(null, h, EntryFile.readTrailer(ch, h.dataStart()));
    } catch (CorruptRecordException e) {
      return Checked.invalid(e.getMessage());
    }
  }

  private void quarantineEntry(Path p, String reason) throws IOException {
    Path target = ctx.layout().corrupt()
        .resolve("entry-" + p.getFileName() + "-" + ctx.clock().millis());
    log.warn("quarantining queue entry {} as {}: {}", p.getFileName(), target.getFileName(), reason);
    ctx.ops().move(p, target);
    CheckpointInspector.await(ctx.committer().forceDirs(ctx.layout().corrupt(), p.getParent()));
  }
}

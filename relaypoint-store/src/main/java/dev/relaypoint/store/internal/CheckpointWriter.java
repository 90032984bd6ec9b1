package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RFC 1845 transaction. Until its first checkpoint the data goes to {@code incoming/.<qid>.part}
 * (tagged with the key), and a commit then is the plain one plus a {@link QueuedCompletions} entry;
 * the first checkpoint (or a suspend) moves the file to {@code checkpoints/<h>/message}, and from
 * then on checkpoints record durable, line-aligned offsets in {@code checkpoints/<h>/journal}
 * (package-info). Journal work is chained on {@link #tail} so that it is strictly ordered, runs
 * mostly on the committer thread, and never blocks a write.
 */
final class CheckpointWriter implements MessageWriter {

  private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

  private final StoreContext ctx;
  private final Path dir;
  private final Envelope envelope;
  private final CheckpointOwner owner;
  private final String queueId;
  private final DataSink sink;
  /**
   * Where the message is while no checkpoint was taken: {@code incoming/.<qid>.part}; null once it
   * moved into {@code <h>} (set by a step chained on {@link #tail}, read by commit and discard).
   */
  private volatile Path part;
  /** Null until the journal exists; only touched by steps chained on {@link #tail}. */
  private volatile FileChannel journal;
  /** The offset of the last PROGRESS that is on disk. */
  private volatile long durableOffset;
  private long lineAligned;
  private long sizeAtLastCheckpoint;
  private Instant lastCheckpointAt;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private boolean finished;

  private CheckpointWriter(StoreContext ctx, Path dir, Envelope envelope, CheckpointOwner owner,
      String queueId, DataSink sink, Path part, FileChannel journal, long offset) {
    this.ctx = ctx;
    this.dir = dir;
    this.envelope = envelope;
    this.owner = owner;
    this.queueId = queueId;
    this.sink = sink;
    this.part = part;
    this.journal = journal;
    this.durableOffset = offset;
    this.lineAligned = offset;
    this.sizeAtLastCheckpoint = offset;
    this.lastCheckpointAt = ctx.clock().instant();
  }

  /** A new transaction, written as a part file in incoming/ until its first checkpoint. */
  static CheckpointWriter begin(StoreContext ctx, Path dir, Envelope envelope, CheckpointOwner owner)
      throws IOException {
    Optional<TransactionTag> tag = Optional.of(new TransactionTag(dir.getFileName().toString(), owner));
    PlainWriter.Part p = PlainWriter.Part.create(ctx, qid -> EntryRecords.header(qid, envelope, tag));
    return new CheckpointWriter(ctx, dir, envelope, owner, p.queueId(), p.sink(), p.path(), null, 0);
  }

  /** Truncates the message to the journal's offset and continues after it. */
  static CheckpointWriter resume(StoreContext ctx, Path dir, Journal.State state)
      throws IOException, CorruptRecordException {
    Path message = StoreLayout.message(dir);
    long offset = state.progress();
    CRC32C crc = new CRC32C();
    long dataStart;
    try (FileChannel read = FileChannel.open(message, StandardOpenOption.READ)) {
      EntryFile.Header header = EntryFile.readHeader(read);
      if (!header.queueId().equals(state.open().queueId())) {
        throw new CorruptRecordException("message file belongs to " + header.queueId());
      }
      dataStart = header.dataStart();
      if (read.size() < dataStart + offset) {
        throw new CorruptRecordException("message file shorter than the checkpoint " + offset);
      }
      EntryFile.updateCrc(crc, read, dataStart, offset);
    }
    FileOps ops = ctx.ops();
    FileChannel ch = ops.openAppend(message);
    FileChannel journal = null;
    try {
      ops.truncate(ch, dataStart + offset);
      journal = ops.openAppend(StoreLayout.journal(dir));
    } catch (IOException | RuntimeException e) {
      SafeFiles.closeQuietly(ch);
      throw e;
    }
    return new CheckpointWriter(ctx, dir, state.open().envelope(), state.open().owner(),
        state.open().queueId(), new DataSink(ops, ch, offset, crc), null, journal, offset);
  }

  @Override
  public String queueId() {
    return queueId;
  }

  @Override
  public long size() {
    return sink.size();
  }

  /** The message file's length: header, data and (after commit) trailer. */
  long fileSize() throws IOException {
    return sink.channel().size();
  }

  /** The offset of the last durable checkpoint (what a 355 may promise now). */
  long durableOffset() {
    return durableOffset;
  }

  @Override
  public void write(ByteBuffer data, long lineAlignedSize) throws IOException {
    ensureWriting();
    if (tail.isCompletedExceptionally()) {
      throw new IOException("an earlier checkpoint failed", SafeFiles.cause(tail.handle((v, e) -> e).join()));
    }
    long after = sink.size() + data.remaining();
    if (lineAlignedSize < lineAligned || lineAlignedSize > after) {
      throw new IllegalArgumentException("lineAlignedSize " + lineAlignedSize
          + " outside [" + lineAligned + ", " + after + "]");
    }
    sink.append(data);
    lineAligned = lineAlignedSize;
    if (tail.isDone() && checkpointDue()) {
      long target = lineAligned;
      sizeAtLastCheckpoint = sink.size();
      lastCheckpointAt = ctx.clock().instant();
      tail = tail.thenCompose(v -> checkpoint(target));
    }
  }

  private boolean checkpointDue() {
    long bytes = ctx.policy().bytes();
    if (bytes > 0 && sink.size() - sizeAtLastCheckpoint >= bytes) {
      return true;
    }
    var interval = ctx.policy().interval();
    return !interval.isZero() && !ctx.clock().instant().isBefore(lastCheckpointAt.plus(interval));
  }

  /**
   * Data first, then the offset: a PROGRESS record never names bytes that are not on disk. The first
   * round forces the data together with a journal created now (OPEN only promises nothing).
   */
  private CompletableFuture<Void> checkpoint(long target) {
    return forceDataAndJournal()
        .thenCompose(v -> {
          if (target <= durableOffset) {
            return CompletableFuture.completedFuture(null);
          }
          return SafeFiles.step(() -> ctx.ops().write(journal,
                  new JournalRecord.Progress(target, ctx.clock().millis()).encode()))
              .thenCompose(x -> ctx.committer().forceFile(journal))
              .thenRun(() -> durableOffset = target);
        });
  }

  /**
   * One committer round: the message file, and if the journal does not exist yet, the journal
   * created here with OPEN (no temp file: a journal without a whole first record counts as none)
   * plus {@code <h>} and {@code checkpoints/}, which make both directory entries durable. The first
   * time, the part file is first renamed to {@code <h>/message}, and incoming/ is forced as well.
   */
  private CompletableFuture<Void> forceDataAndJournal() {
    if (journal != null) {
      return ctx.committer().forceFile(sink.channel());
    }
    Path path = StoreLayout.journal(dir);
    FileOps ops = ctx.ops();
    FileChannel created;
    try {
      moveIntoCheckpointDir();
      created = ctx.spares().create(path);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    journal = created;
    return SafeFiles.step(() -> ops.write(created,
            new JournalRecord.Open(queueId, envelope, ctx.clock().millis(), owner).encode()))
        .thenCompose(v -> ctx.committer().force(List.of(sink.channel(), created),
            List.of(dir, ctx.layout().checkpoints(), ctx.layout().incoming())));
  }

  /**
   * The open channel follows the file. A crash before the round that follows leaves a part file
   * without trailer (deleted at start-up), or {@code <h>} without journal (deleted too): nothing was
   * promised yet.
   */
  private void moveIntoCheckpointDir() throws IOException {
    Path from = part;
    if (from == null) {
      return;
    }
    ctx.files().deleteTree(dir); // data of an earlier transfer that never reached a checkpoint
    ctx.spares().createDirectory(dir);
    ctx.ops().move(from, StoreLayout.message(dir));
    part = null;
  }

  /**
   * One round makes the message and the transaction's completion durable: a checkpointed message
   * file with a valid trailer counts as completed (package-info). Moving it into the queue and
   * appending COMPLETED follow after the 250, tracked in {@link Publishing}.
   */
  @Override
  public CompletionStage<Void> commit() {
    ensureWriting();
    finished = true;
    if (part != null && tail.isDone() && !tail.isCompletedExceptionally()) {
      return commitIntoQueue(); // no checkpoint was taken, and none can start now
    }
    FileOps ops = ctx.ops();
    CompletableFuture<Void> published = new CompletableFuture<>();
    ctx.publishing().track(dir, published);
    CompletableFuture<Void> durable;
    JournalRecord.Completed completed;
    try {
      sink.appendTrailer();
      completed = new JournalRecord.Completed(queueId, sink.size(), sink.crc(), ctx.clock().millis());
      durable = tail.thenCompose(v -> forceDataAndJournal());
    } catch (IOException e) {
      completed = null;
      durable = CompletableFuture.failedFuture(e);
    }
    JournalRecord.Completed record = completed;
    durable.whenComplete((v, e) -> {
      if (e != null) {
        published.complete(null); // nothing runs in the background
      }
    });
    return Commits.finish(durable, () -> {
      CompletableFuture<Void> steps = SafeFiles.step(() -> ops.reached(CrashPoint.AFTER_DATA_FORCE))
          .thenCompose(v -> CheckpointPublish.run(ctx, dir, queueId, journal, record));
      steps.whenComplete((v, e) -> {
        if (e == null) {
          published.complete(null);
        } else {
          published.completeExceptionally(e);
        }
      });
      return steps;
    }, Commits.Ack.BEFORE_PUBLISH, this::closeChannels, () -> { }, ctx.listeners(), queueId);
  }

  /**
   * The plain commit (package-info): one round forces the part file and incoming/, the rename makes
   * it visible. The tagged entry is the transaction's completion record from then on; the index
   * learns of it before the rename, so no removal of the entry can miss it (package-info).
   */
  private CompletionStage<Void> commitIntoQueue() {
    FileOps ops = ctx.ops();
    Path file = part;
    CompletableFuture<Void> durable;
    QueuedCompletions.Completion completion = null;
    try {
      sink.appendTrailer();
      completion = new QueuedCompletions.Completion(dir.getFileName().toString(), queueId, envelope,
          owner, sink.size(), sink.crc(), ctx.clock().millis());
      durable = ctx.committer().force(List.of(sink.channel()), List.of(ctx.layout().incoming()));
    } catch (IOException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    QueuedCompletions.Completion done = completion;
    return Commits.finish(durable, () -> SafeFiles.step(() -> {
      ops.reached(CrashPoint.AFTER_DATA_FORCE);
      ctx.completions().add(done);
      ops.move(file, ctx.layout().entry(queueId));
      ops.reached(CrashPoint.AFTER_RENAME);
    }), Commits.Ack.AFTER_PUBLISH, this::closeChannels, () -> SafeFiles.deleteQuietly(ops, file),
        ctx.listeners(), queueId);
  }

  @Override
  public CompletionStage<Void> suspend() {
    ensureWriting();
    finished = true;
    long target = lineAligned;
    CompletableFuture<Void> result = new CompletableFuture<>();
    tail.thenCompose(v -> dropUnfinishedLine(target)).thenCompose(v -> checkpoint(target)).whenComplete((v, e) -> {
      closeChannels();
      if (e != null) {
        result.completeExceptionally(SafeFiles.cause(e));
      } else {
        result.complete(null);
      }
    });
    return result;
  }

  /**
   * Cuts the bytes after the last line end (a resume would truncate them anyway). A suspended file
   * then ends with CRLF, or at DATA_START, so it can never look like one with a valid trailer, even
   * if the client sent bytes shaped like one.
   */
  private CompletableFuture<Void> dropUnfinishedLine(long target) {
    return SafeFiles.step(() -> {
      FileChannel ch = sink.channel();
      ctx.ops().truncate(ch, ch.size() - (sink.size() - target));
    });
  }

  @Override
  public void discard() {
    if (finished) {
      return;
    }
    finished = true;
    // Let an in-flight checkpoint finish first, so it cannot recreate files in a deleted directory.
    if (!ctx.committer().isCommitterThread()) {
      tail.handle((v, e) -> null).join();
    }
    closeChannels();
    Path file = part;
    if (file != null) {
      SafeFiles.deleteQuietly(ctx.ops(), file);
    }
    try {
      ctx.files().deleteTree(dir);
    } catch (IOException e) {
      log.warn("could not delete discarded checkpoint {}", dir, e);
    }
  }

  private void closeChannels() {
    SafeFiles.closeQuietly(sink.channel());
    FileChannel j = journal;
    if (j != null) {
      SafeFiles.closeQuietly(j);
    }
  }


  private void ensureWriting() {
    if (finished) {
      throw new IllegalStateException("message " + queueId + " is already finished");
    }
  }
}

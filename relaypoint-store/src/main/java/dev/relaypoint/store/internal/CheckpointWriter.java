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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RFC 1845 transaction: data goes to {@code checkpoints/<h>/message}; checkpoints record durable,
 * line-aligned offsets in {@code checkpoints/<h>/journal}. Journal work is chained on {@link #tail}
 * so that it is strictly ordered, runs mostly on the committer thread, and never blocks a write.
 */
final class CheckpointWriter implements MessageWriter {

  private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

  private final StoreContext ctx;
  private final Path dir;
  private final Envelope envelope;
  private final CheckpointOwner owner;
  private final String queueId;
  private final DataSink sink;
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
      String queueId, DataSink sink, FileChannel journal, long offset) {
    this.ctx = ctx;
    this.dir = dir;
    this.envelope = envelope;
    this.owner = owner;
    this.queueId = queueId;
    this.sink = sink;
    this.journal = journal;
    this.durableOffset = offset;
    this.lineAligned = offset;
    this.sizeAtLastCheckpoint = offset;
    this.lastCheckpointAt = ctx.clock().instant();
  }

  static CheckpointWriter begin(StoreContext ctx, Path dir, Envelope envelope, CheckpointOwner owner)
      throws IOException {
    FileOps ops = ctx.ops();
    ops.createDirectory(dir);
    String qid = ctx.ids().next();
    FileChannel ch = ops.createFile(StoreLayout.message(dir));
    try {
      ops.write(ch, EntryRecords.header(qid, envelope));
    } catch (IOException | RuntimeException e) {
      SafeFiles.closeQuietly(ch);
      throw e;
    }
    return new CheckpointWriter(ctx, dir, envelope, owner, qid,
        new DataSink(ops, ch, 0, new CRC32C()), null, 0);
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
        state.open().queueId(), new DataSink(ops, ch, offset, crc), journal, offset);
  }

  @Override
  public String queueId() {
    return queueId;
  }

  @Override
  public long size() {
    return sink.size();
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

  /** Data first, then the offset: a PROGRESS record never names bytes that are not on disk. */
  private CompletableFuture<Void> checkpoint(long target) {
    return ctx.committer().forceFile(sink.channel())
        .thenCompose(v -> ensureJournal())
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

  /** Creates the journal with OPEN atomically, forcing its directory and the checkpoints dir. */
  private CompletableFuture<Void> ensureJournal() {
    if (journal != null) {
      return CompletableFuture.completedFuture(null);
    }
    Path path = StoreLayout.journal(dir);
    ByteBuffer open = new JournalRecord.Open(queueId, envelope, ctx.clock().millis(), owner)
        .encode();
    return ctx.files().writeAtomically(path, open, List.of(dir, ctx.layout().checkpoints()))
        .thenCompose(v -> SafeFiles.step(() -> journal = ctx.ops().openAppend(path)));
  }

  @Override
  public CompletionStage<Void> commit() {
    ensureWriting();
    finished = true;
    StoreLayout layout = ctx.layout();
    SafeFiles files = ctx.files();
    FileOps ops = ctx.ops();
    CompletableFuture<Void> chain;
    try {
      sink.appendTrailer();
      long size = sink.size();
      int crc = sink.crc();
      chain = tail
          .thenCompose(v -> files.forceData(sink.channel()))
          .thenCompose(v -> ensureJournal())
          .thenCompose(v -> SafeFiles.step(() -> ops.reached(CrashPoint.AFTER_OPEN)))
          .thenCompose(v -> files.moveDurably(StoreLayout.message(dir), layout.entry(queueId),
              List.of(layout.incoming(), dir), true))
          .thenCompose(v -> SafeFiles.step(() -> ops.write(journal,
              new JournalRecord.Completed(queueId, size, crc, ctx.clock().millis()).encode())))
          .thenCompose(v -> ctx.committer().forceFile(journal))
          .thenCompose(v -> SafeFiles.step(() -> ops.reached(CrashPoint.AFTER_COMPLETED)));
    } catch (IOException e) {
      chain = CompletableFuture.failedFuture(e);
    }
    return Commits.finish(chain, this::closeChannels, () -> { }, ctx.listeners(), queueId);
  }

  @Override
  public CompletionStage<Void> suspend() {
    ensureWriting();
    finished = true;
    long target = lineAligned;
    CompletableFuture<Void> result = new CompletableFuture<>();
    tail.thenCompose(v -> checkpoint(target)).whenComplete((v, e) -> {
      closeChannels();
      if (e != null) {
        result.completeExceptionally(SafeFiles.cause(e));
      } else {
        result.complete(null);
      }
    });
    return result;
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

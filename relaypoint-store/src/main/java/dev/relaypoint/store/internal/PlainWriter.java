package dev.relaypoint.store.internal;

import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.CRC32C;

/**
 * A message without TRANSID: written as {@code incoming/.<qid>.part}, made durable in one committer
 * round at commit, then renamed to {@code incoming/<qid>} (see package-info).
 */
final class PlainWriter implements MessageWriter {

  /** How much data a background writeback force covers (see {@link #startWritebackIfDue}). */
  static final long WRITEBACK_BYTES = 8L << 20;

  private final StoreContext ctx;
  private final String queueId;
  private final Path part;
  private final DataSink sink;
  private boolean finished;
  /** Octets appended since the last background force was started. */
  private long unforced;
  private CompletableFuture<Void> writeback = CompletableFuture.completedFuture(null);

  private PlainWriter(StoreContext ctx, String queueId, Path part, DataSink sink) {
    this.ctx = ctx;
    this.queueId = queueId;
    this.part = part;
    this.sink = sink;
  }

  static PlainWriter create(StoreContext ctx, Envelope envelope) throws IOException {
    Part p = Part.create(ctx, qid -> EntryRecords.header(qid, envelope));
    return new PlainWriter(ctx, p.queueId(), p.path(), p.sink());
  }

  /** A new {@code incoming/.<qid>.part} with its header written, under a fresh queue id. */
  record Part(String queueId, Path path, DataSink sink) {

    static Part create(StoreContext ctx, Function<String, ByteBuffer> header) throws IOException {
      FileOps ops = ctx.ops();
      for (int attempt = 0; ; attempt++) {
        String qid = ctx.ids().next();
        Path part = ctx.layout().part(qid);
        FileChannel ch;
        try {
          ch = ctx.spares().create(part);
        } catch (FileAlreadyExistsException e) {
          if (attempt < 5) {
            continue;
          }
          throw e;
        }
        try {
          ops.write(ch, header.apply(qid));
        } catch (IOException | RuntimeException e) {
          SafeFiles.closeQuietly(ch);
          SafeFiles.deleteQuietly(ops, part);
          throw e;
        }
        return new Part(qid, part, new DataSink(ops, ch, 0, new CRC32C()));
      }
    }
  }

  @Override
  public String queueId() {
    return queueId;
  }

  @Override
  public long size() {
    return sink.size();
  }

  @Override
  public void write(ByteBuffer data, long lineAlignedSize) throws IOException {
    ensureWriting();
    unforced += data.remaining();
    sink.append(data);
    startWritebackIfDue();
  }

  /**
   * Large messages: force the data written so far every {@link #WRITEBACK_BYTES} in the
   * background, so the disk writes while the rest arrives and the force before the 250 has little
   * left to do (otherwise a 1 GiB message sits in the page cache, below the kernel's dirty limits,
   * until one long final fsync). This promises nothing; the commit's own force covers every octet,
   * and a failure here shows up there.
   */
  private void startWritebackIfDue() {
    if (unforced >= WRITEBACK_BYTES && writeback.isDone()) {
      unforced = 0;
      writeback = ctx.committer().forceFile(sink.channel());
    }
  }

  @Override
  public CompletionStage<Void> commit() {
    ensureWriting();
    finished = true;
    FileOps ops = ctx.ops();
    CompletableFuture<Void> durable;
    try {
      sink.appendTrailer();
      // The file's bytes and its directory entry in incoming/, in one round.
      durable = ctx.committer().force(List.of(sink.channel()), List.of(ctx.layout().incoming()));
    } catch (IOException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    // Visible without another fsync: the queue manager forces incoming/ when it moves the entry on.
    return Commits.finish(durable, () -> SafeFiles.step(() -> {
      ops.reached(CrashPoint.AFTER_DATA_FORCE);
      ops.move(part, ctx.layout().entry(queueId));
      ops.reached(CrashPoint.AFTER_RENAME);
    }), Commits.Ack.AFTER_PUBLISH, () -> SafeFiles.closeQuietly(sink.channel()), () -> SafeFiles.deleteQuietly(ops, part), ctx.listeners(), queueId);
  }

  @Override
  public CompletionStage<Void> suspend() {
    discard();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void discard() {
    if (finished) {
      return;
    }
    finished = true;
    SafeFiles.closeQuietly(sink.channel());
    SafeFiles.deleteQuietly(ctx.ops(), part);
  }

  private void ensureWriting() {
    if (finished) {
      throw new IllegalStateException("message " + queueId + " is already finished");
    }
  }

}

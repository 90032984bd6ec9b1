package dev.relaypoint.store.internal;

import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.CRC32C;

/** A message without TRANSID: written into queue/tmp, renamed into queue/incoming at commit. */
final class PlainWriter implements MessageWriter {

  private final StoreContext ctx;
  private final String queueId;
  private final Path tmp;
  private final DataSink sink;
  private boolean finished;

  private PlainWriter(StoreContext ctx, String queueId, Path tmp, DataSink sink) {
    this.ctx = ctx;
    this.queueId = queueId;
    this.tmp = tmp;
    this.sink = sink;
  }

  static PlainWriter create(StoreContext ctx, Envelope envelope) throws IOException {
    FileOps ops = ctx.ops();
    for (int attempt = 0; ; attempt++) {
      String qid = ctx.ids().next();
      Path tmp = ctx.layout().tmp().resolve(qid);
      FileChannel ch;
      try {
        ch = ops.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt < 5) {
          continue;
        }
        throw e;
      }
      try {
        ops.write(ch, EntryRecords.header(qid, envelope));
      } catch (IOException | RuntimeException e) {
        SafeFiles.closeQuietly(ch);
        deleteQuietly(ops, tmp);
        throw e;
      }
      return new PlainWriter(ctx, qid, tmp, new DataSink(ops, ch, 0, new CRC32C()));
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
    sink.append(data);
  }

  @Override
  public CompletionStage<Void> commit() {
    ensureWriting();
    finished = true;
    SafeFiles files = ctx.files();
    CompletableFuture<Void> chain;
    try {
      sink.appendTrailer();
      chain = files.forceData(sink.channel()).thenCompose(v -> files.moveDurably(
          tmp, ctx.layout().entry(queueId), List.of(ctx.layout().incoming()), true));
    } catch (IOException e) {
      chain = CompletableFuture.failedFuture(e);
    }
    return Commits.finish(chain, () -> SafeFiles.closeQuietly(sink.channel()),
        () -> deleteQuietly(ctx.ops(), tmp), ctx.listeners(), queueId);
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
    deleteQuietly(ctx.ops(), tmp);
  }

  private void ensureWriting() {
    if (finished) {
      throw new IllegalStateException("message " + queueId + " is already finished");
    }
  }

  private static void deleteQuietly(FileOps ops, Path p) {
    try {
      ops.delete(p);
    } catch (IOException ignored) {
      // queue/tmp is emptied at every start-up anyway.
    }
  }
}

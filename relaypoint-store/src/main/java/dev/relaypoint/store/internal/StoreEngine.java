package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointKey;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.store.CheckpointStore.ReapResult;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The file store's machinery behind the public {@code FileStore} facade. */
public final class StoreEngine {

  private final StoreContext ctx;
  private final Leases leases = new Leases();
  private final CheckpointInspector inspector;
  private final Recovery.Report recovery;

  private StoreEngine(StoreContext ctx) throws IOException {
    this.ctx = ctx;
    this.inspector = new CheckpointInspector(ctx);
    this.recovery = new Recovery(ctx).run();
  }

  /** Creates the layout, starts the committer and runs recovery before returning. */
  public static StoreEngine open(Path dataDir, CheckpointPolicy policy, Clock clock, FileOps ops)
      throws IOException {
    StoreLayout layout = new StoreLayout(dataDir);
    for (Path dir : layout.directories()) {
      ops.createDirectory(dir);
    }
    Committer committer = new Committer(ops);
    try {
      CheckpointInspector.await(committer.forceDirs(dataDir, layout.queue()));
      StoreContext ctx = new StoreContext(layout, new SafeFiles(ops, committer), policy, clock,
          new QueueIds(clock), new Listeners());
      return new StoreEngine(ctx);
    } catch (IOException | RuntimeException e) {
      committer.close();
      throw e;
    }
  }

  public Recovery.Report recoveryReport() {
    return recovery;
  }

  public MessageWriter begin(Envelope envelope) throws IOException {
    return PlainWriter.create(ctx, envelope);
  }

  public List<String> list() throws IOException {
    List<String> ids = new ArrayList<>();
    for (Path p : SafeFiles.list(ctx.layout().incoming())) {
      String name = p.getFileName().toString();
      if (QueueIds.isValid(name)) {
        ids.add(name);
      }
    }
    return ids;
  }

  public QueuedMessage open(String queueId) throws IOException {
    Path entry = entryPath(queueId);
    FileChannel ch = FileChannel.open(entry, StandardOpenOption.READ);
    try {
      EntryFile.Header h = EntryFile.readHeader(ch);
      EntryRecords.Trailer t = EntryFile.readTrailer(ch, h.dataStart());
      return new FileQueuedMessage(queueId, h.envelope(), t.size(), ch, h.dataStart());
    } catch (CorruptRecordException e) {
      ch.close();
      throw new IOException("queue entry " + queueId + " is corrupt: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public void remove(String queueId) throws IOException {
    Path entry = entryPath(queueId);
    if (!Files.exists(entry)) {
      throw new NoSuchFileException(entry.toString());
    }
    ctx.ops().delete(entry);
    // A removal lost in a crash would deliver the message again.
    CheckpointInspector.await(ctx.committer().forceDirs(ctx.layout().incoming()));
  }

  public void onCommitted(Consumer<String> listener) {
    ctx.listeners().add(listener);
  }

  public Optional<CheckpointLease> tryAcquire(CheckpointKey key) {
    FileLease lease = new FileLease(ctx, inspector, leases, key);
    return leases.tryAcquire(key.fileName(), lease) ? Optional.of(lease) : Optional.empty();
  }

  public ReapResult reapExpired() throws IOException {
    return new Reaper(ctx, leases).reap();
  }

  public void close() {
    ctx.committer().close();
  }

  private Path entryPath(String queueId) {
    if (!QueueIds.isValid(queueId)) {
      throw new IllegalArgumentException("not a queue id: " + queueId);
    }
    return ctx.layout().entry(queueId);
  }
}

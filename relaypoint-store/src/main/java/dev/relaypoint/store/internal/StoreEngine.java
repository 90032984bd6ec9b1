package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointKey;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.store.CheckpointStore.ReapResult;
import dev.relaypoint.store.CheckpointUsage;
import dev.relaypoint.store.DiskProbe;
import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueueState;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The file store's machinery behind the public {@code FileStore} facade. */
public final class StoreEngine {

  private final StoreContext ctx;
  private final Leases leases = new Leases();
  private final CheckpointInspector inspector;
  private final Recovery.Report recovery;
  private final QueueFiles files;
  private final UsageLedger usage;

  private StoreEngine(StoreContext ctx, DiskProbe probe) throws IOException {
    this.ctx = ctx;
    this.inspector = new CheckpointInspector(ctx);
    this.files = new QueueFiles(ctx.layout());
    // Recovery settles every checkpoint and counts the ones it leaves open: what it quarantined or
    // found completed is not open and is not counted.
    this.usage = new UsageLedger(ctx.layout().checkpoints(), probe);
    this.recovery = new Recovery(ctx, usage).run();
  }

  /** Creates the layout, starts the committer and runs recovery before returning. */
  public static StoreEngine open(Path dataDir, CheckpointPolicy policy, Clock clock, FileOps ops,
      DiskProbe probe) throws IOException {
    StoreLayout layout = new StoreLayout(dataDir);
    for (Path dir : layout.directories()) {
      ops.createDirectory(dir);
    }
    Committer committer = new Committer(ops);
    try {
      CheckpointInspector.await(committer.forceDirs(dataDir, layout.queue()));
      StoreContext ctx = new StoreContext(layout, new SafeFiles(ops, committer), policy, clock,
          new QueueIds(clock), new Listeners(), new Publishing(), new SparePool(layout.spare(), ops),
          new QueuedCompletions());
      return new StoreEngine(ctx, probe);
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
    return files.list(QueueState.INCOMING);
  }

  public QueueFiles files() {
    return files;
  }

  public QueuedMessage open(String queueId) throws IOException {
    return files.open(queueId);
  }

  /**
   * Removes the entry from whichever state holds it (its file is recycled), then its status file.
   * An entry that is still the completion record of an unacknowledged transaction moves to
   * {@code queue/done/} instead.
   */
  public void remove(String queueId) throws IOException {
    Path entry = ctx.layout().findEntry(QueueFiles.checkId(queueId))
        .orElseThrow(() -> new NoSuchFileException("queue entry " + queueId));
    if (ctx.completions().keepAsDone(queueId)) {
      keepAsDone(queueId, entry);
      deleteStatus(queueId);
      return;
    }
    Optional<Path> retired = ctx.spares().retire(entry);
    try {
      // A removal lost in a crash would deliver the message again. incoming/ too: the entry's
      // earlier names there (part file, unforced claim) must not come back either (package-info).
      CheckpointInspector.await(ctx.committer().forceDirs(entry.getParent(), ctx.layout().incoming()));
    } catch (IOException | RuntimeException e) {
      ctx.spares().abandon(retired);
      throw e;
    }
    ctx.spares().release(retired);
    deleteStatus(queueId);
  }

  /**
   * The entry is the only completion record of a transaction whose client has not yet shown that it
   * saw the 250: it moves to {@code queue/done/}, as durably as a removal (package-info).
   */
  private void keepAsDone(String queueId, Path entry) throws IOException {
    try {
      CheckpointInspector.await(ctx.files().moveDurably(entry, ctx.layout().done().resolve(queueId),
          List.of(ctx.layout().done(), entry.getParent(), ctx.layout().incoming()), false));
    } catch (IOException | RuntimeException e) {
      ctx.completions().keepFailed(queueId);
      throw e;
    }
    if (!ctx.completions().moved(queueId)) { // the client's delete() came first
      ctx.spares().release(ctx.spares().retire(ctx.layout().done().resolve(queueId)));
    }
  }

  /**
   * rename(2) from one state directory to another, then both directories are forced; leaving active/
   * also forces incoming/, which an unforced {@link #claimIncoming} may have left behind.
   */
  public void move(String queueId, QueueState from, QueueState to) throws IOException {
    Path source = entryIn(queueId, from);
    if (from == to) {
      return;
    }
    List<Path> dirs = from == QueueState.ACTIVE
        ? List.of(ctx.layout().queue(to), ctx.layout().queue(from), ctx.layout().incoming())
        : List.of(ctx.layout().queue(to), ctx.layout().queue(from));
    Path target = ctx.layout().queue(to).resolve(queueId);
    CheckpointInspector.await(ctx.files().moveDurably(source, target, dirs, false));
  }

  /**
   * rename(2) from incoming/ to active/ without a force: {@link #remove}, and {@link #move} out of
   * active/, force incoming/ (package-info, "Queue states").
   */
  public void claimIncoming(String queueId) throws IOException {
    Path source = entryIn(queueId, QueueState.INCOMING);
    ctx.ops().move(source, ctx.layout().queue(QueueState.ACTIVE).resolve(queueId));
  }

  /** The entry's path in {@code state}; NoSuchFileException when that directory does not hold it. */
  private Path entryIn(String queueId, QueueState state) throws NoSuchFileException {
    Path entry = ctx.layout().queue(state).resolve(QueueFiles.checkId(queueId));
    if (!SafeFiles.exists(entry)) {
      throw new NoSuchFileException("queue entry " + queueId + " is not " + state.directoryName());
    }
    return entry;
  }

  /** Replaces the status file atomically (temp, force, rename, force the directory). */
  public void writeStatus(String queueId, DeliveryStatus status) throws IOException {
    CheckpointInspector.await(ctx.files().writeAtomically(ctx.layout().status(QueueFiles.checkId(queueId)),
        StatusCodec.encode(status), List.of(ctx.layout().status())));
  }

  private void deleteStatus(String queueId) throws IOException {
    Path p = ctx.layout().status(queueId);
    if (SafeFiles.exists(p)) {
      ctx.ops().delete(p);
      CheckpointInspector.await(ctx.committer().forceDirs(ctx.layout().status()));
    }
  }

  public void onCommitted(Consumer<String> listener) {
    ctx.listeners().add(listener);
  }

  public Optional<CheckpointLease> tryAcquire(CheckpointKey key) {
    FileLease lease = new FileLease(ctx, inspector, leases, usage, key);
    return leases.tryAcquire(key.fileName(), lease) ? Optional.of(lease) : Optional.empty();
  }

  public ReapResult reapExpired() throws IOException {
    return new Reaper(ctx, leases, usage).reap();
  }

  public CheckpointUsage usage() {
    return usage;
  }

  public void close() {
    ctx.committer().close();
  }
}

package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointKey;
import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointState;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A session's exclusive hold on one checkpoint directory. */
final class FileLease implements CheckpointLease {

  private final StoreContext ctx;
  private final CheckpointInspector inspector;
  private final Leases leases;
  private final UsageLedger usage;
  private final CheckpointKey key;
  private final Path dir;
  private final String id;
  private volatile boolean closed;
  /** state() found no completion and no journal; only this lease could have made one since. */
  private boolean knownEmpty;

  FileLease(StoreContext ctx, CheckpointInspector inspector, Leases leases, UsageLedger usage,
      CheckpointKey key) {
    this.ctx = ctx;
    this.inspector = inspector;
    this.leases = leases;
    this.usage = usage;
    this.key = key;
    this.id = key.fileName();
    this.dir = ctx.layout().checkpointDir(id);
  }

  @Override
  public CheckpointKey key() {
    return key;
  }

  @Override
  public Optional<CheckpointState> state() {
    ensureOpen();
    try {
      finishPublishing();
      Optional<QueuedCompletions.Completion> queued = ctx.completions().find(id);
      if (queued.isPresent()) {
        QueuedCompletions.Completion c = queued.get();
        usage.forget(id);
        return Optional.of(new CheckpointState.Completed(c.envelope(), c.queueId(), c.size()));
      }
      CheckpointInspector.Result r = inspector.settle(dir);
      if (r.outcome() != CheckpointInspector.Outcome.INTERRUPTED) {
        usage.forget(id); // absent, completed (its data is queued now) or quarantined
      }
      knownEmpty = r.outcome() == CheckpointInspector.Outcome.ABSENT
          || r.outcome() == CheckpointInspector.Outcome.NO_JOURNAL;
      return r.state();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint state of " + dir, e);
    }
  }

  @Override
  public MessageWriter begin(Envelope envelope, CheckpointOwner owner) throws IOException {
    ensureOpen();
    finishPublishing();
    if (!knownEmpty
        && (ctx.completions().find(id).isPresent() || SafeFiles.exists(StoreLayout.journal(dir)))) {
      throw new IllegalStateException("state is stored for this key; delete() it first");
    }
    knownEmpty = false;
    // Any <h> left by a transfer that never reached a checkpoint goes at this one's first checkpoint.
    CheckpointWriter writer = CheckpointWriter.begin(ctx, dir, envelope, owner);
    return metered(writer, owner);
  }

  @Override
  public MessageWriter resume() throws IOException {
    ensureOpen();
    finishPublishing();
    CheckpointInspector.Result r = inspector.settle(dir);
    if (r.outcome() != CheckpointInspector.Outcome.INTERRUPTED) {
      throw new IllegalStateException("no interrupted transaction to resume: " + r.outcome());
    }
    Journal.State journal = r.journal().orElseThrow();
    try {
      return metered(CheckpointWriter.resume(ctx, dir, journal), journal.open().owner());
    } catch (CorruptRecordException e) {
      inspector.quarantine(dir, e.getMessage());
      usage.forget(id);
      throw new IOException("checkpoint became invalid: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete() throws IOException {
    ensureOpen();
    finishPublishing();
    knownEmpty = false;
    Optional<QueuedCompletions.Forgotten> forgotten = ctx.completions().forget(id);
    if (forgotten.isPresent()) {
      if (forgotten.get().done()) { // not forced either: one a crash brings back is harmless
        ctx.spares().release(ctx.spares().retire(ctx.layout().done().resolve(forgotten.get().queueId())));
      }
      usage.forget(id);
      return; // a remembered key has no journal (package-info), and any leftover <h> can wait
    }
    // The journal, a message not moved into the queue, and the directory are recycled (SparePool).
    boolean exists = SafeFiles.isDirectory(dir);
    List<Path> files = exists ? SafeFiles.list(dir) : List.of();
    List<Optional<Path>> retired = new ArrayList<>();
    if (exists && Set.of(StoreLayout.journal(dir), StoreLayout.message(dir)).containsAll(files)) {
      for (Path file : files) {
        retired.add(ctx.spares().retire(file));
      }
      ctx.spares().retireDirectory(dir);
    } else if (exists) {
      ctx.files().deleteTree(dir); // something unexpected (an old layout's file)
    }
    usage.forget(id);
    // Not forced, and the files are emptied at once: see package-info, "Deleting a key's state".
    retired.forEach(ctx.spares()::release);
  }

  /** Counts the checkpoint as open with what its message file holds now (a resume truncated it). */
  private MessageWriter metered(CheckpointWriter writer, CheckpointOwner owner) throws IOException {
    try {
      usage.track(id, owner, writer.fileSize(), ctx.clock().millis());
    } catch (IOException e) {
      writer.discard();
      throw e;
    }
    return new MeteredWriter(writer, usage, id, ctx.clock(), StoreLayout.message(dir));
  }

  @Override
  public void close() {
    closed = true;
    leases.release(id, this);
  }

  /**
   * Waits for the background steps of this key's last commit; if they failed, the acknowledged
   * message is not queued yet, so the inspector queues it before anyone reads or deletes the key.
   */
  private void finishPublishing() throws IOException {
    if (!ctx.publishing().await(dir)) {
      inspector.settle(dir);
      ctx.publishing().settled(dir);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("lease for " + key + " is closed");
    }
  }
}

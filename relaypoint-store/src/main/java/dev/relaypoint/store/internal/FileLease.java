package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointKey;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointState;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A session's exclusive hold on one checkpoint directory. */
final class FileLease implements CheckpointLease {

  private final StoreContext ctx;
  private final CheckpointInspector inspector;
  private final Leases leases;
  private final CheckpointKey key;
  private final Path dir;
  private volatile boolean closed;

  FileLease(StoreContext ctx, CheckpointInspector inspector, Leases leases, CheckpointKey key) {
    this.ctx = ctx;
    this.inspector = inspector;
    this.leases = leases;
    this.key = key;
    this.dir = ctx.layout().checkpointDir(key.fileName());
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
      return inspector.settle(dir).state();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint state of " + dir, e);
    }
  }

  @Override
  public MessageWriter begin(Envelope envelope) throws IOException {
    ensureOpen();
    finishPublishing();
    if (Files.exists(StoreLayout.journal(dir))) {
      throw new IllegalStateException("state is stored for this key; delete() it first");
    }
    ctx.files().deleteTree(dir); // data of a transaction that never reached a checkpoint
    return CheckpointWriter.begin(ctx, dir, envelope);
  }

  @Override
  public MessageWriter resume() throws IOException {
    ensureOpen();
    finishPublishing();
    CheckpointInspector.Result r = inspector.settle(dir);
    if (r.outcome() != CheckpointInspector.Outcome.INTERRUPTED) {
      throw new IllegalStateException("no interrupted transaction to resume: " + r.outcome());
    }
    try {
      return CheckpointWriter.resume(ctx, dir, r.journal().orElseThrow());
    } catch (CorruptRecordException e) {
      inspector.quarantine(dir, e.getMessage());
      throw new IOException("checkpoint became invalid: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete() throws IOException {
    ensureOpen();
    finishPublishing();
    ctx.files().deleteTree(dir);
    CheckpointInspector.await(ctx.committer().forceDirs(ctx.layout().checkpoints()));
  }

  @Override
  public void close() {
    closed = true;
    leases.release(dir.getFileName().toString(), this);
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

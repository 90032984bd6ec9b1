package dev.relaypoint.store;

import dev.relaypoint.store.internal.StoreEngine;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The file-system store: the message queue and the RFC 1845 checkpoint store in one data directory.
 * {@link #open} recovers whatever a crash left before it returns. Thread-safe. The on-disk design is
 * documented in {@code dev.relaypoint.store.internal}'s package-info.
 */
public final class FileStore implements DeliveryQueue, CheckpointStore, Closeable {

  private final StoreEngine engine;

  private FileStore(StoreEngine engine) {
    this.engine = engine;
  }

  public static FileStore open(FileStoreConfig config) throws IOException {
    return new FileStore(StoreEngine.open(config.dataDir(), config.checkpointPolicy(),
        config.clock(), config.fileOps(), config.diskProbe()));
  }

  @Override
  public MessageWriter begin(Envelope envelope) throws IOException {
    return engine.begin(envelope);
  }

  @Override
  public List<String> list() throws IOException {
    return engine.list();
  }

  @Override
  public QueuedMessage open(String queueId) throws IOException {
    return engine.open(queueId);
  }

  @Override
  public void remove(String queueId) throws IOException {
    engine.remove(queueId);
  }

  @Override
  public List<String> list(QueueState state) throws IOException {
    return engine.files().list(state);
  }

  @Override
  public Optional<QueueState> locate(String queueId) {
    return engine.files().locate(queueId);
  }

  @Override
  public void move(String queueId, QueueState from, QueueState to) throws IOException {
    engine.move(queueId, from, to);
  }

  @Override
  public void claimIncoming(String queueId) throws IOException {
    engine.claimIncoming(queueId);
  }

  @Override
  public Optional<DeliveryStatus> status(String queueId) throws IOException {
    return engine.files().status(queueId);
  }

  @Override
  public void writeStatus(String queueId, DeliveryStatus status) throws IOException {
    engine.writeStatus(queueId, status);
  }

  /** The data directory this store lives in. */
  public java.nio.file.Path dataDir() {
    return engine.files().layout().root();
  }

  @Override
  public void onCommitted(Consumer<String> listener) {
    engine.onCommitted(listener);
  }

  @Override
  public Optional<CheckpointLease> tryAcquire(CheckpointKey key) {
    return engine.tryAcquire(key);
  }

  /** @throws UncheckedIOException if the checkpoint directory cannot be read or changed */
  @Override
  public ReapResult reapExpired() {
    try {
      return engine.reapExpired();
    } catch (IOException e) {
      throw new UncheckedIOException("reaping expired checkpoints failed", e);
    }
  }

  @Override
  public CheckpointUsage usage() {
    return engine.usage();
  }

  /** Stops the committer; commits still pending fail. Writers must be finished first. */
  @Override
  public void close() {
    engine.close();
  }
}

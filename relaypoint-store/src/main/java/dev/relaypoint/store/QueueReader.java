package dev.relaypoint.store;

import dev.relaypoint.store.internal.QueueFiles;
import dev.relaypoint.store.internal.StoreLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a data directory's queue, for tools like {@code relaypoint queue list}. Unlike
 * {@link FileStore#open} it runs no recovery and writes nothing, so it is safe while a server runs on
 * the same directory (an entry may move between states while it is being looked at).
 */
public final class QueueReader {

  private final QueueFiles files;

  public QueueReader(Path dataDir) {
    this.files = new QueueFiles(new StoreLayout(dataDir));
  }

  /** Where operator requests to a running queue manager go ({@code queue/control/}). */
  public static Path controlDirectory(Path dataDir) {
    return new StoreLayout(dataDir).control();
  }

  public List<String> list(QueueState state) throws IOException {
    return files.list(state);
  }

  /** Which state directory holds the entry; empty when it is not (or no longer) queued. */
  public Optional<QueueState> locate(String queueId) {
    return files.locate(queueId);
  }

  public QueuedMessage open(String queueId) throws IOException {
    return files.open(queueId);
  }

  public Optional<DeliveryStatus> status(String queueId) throws IOException {
    return files.status(queueId);
  }
}

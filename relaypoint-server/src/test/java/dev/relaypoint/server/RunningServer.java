package dev.relaypoint.server;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A real server on 127.0.0.1 port 0 over a real file store in a test directory. */
final class RunningServer implements AutoCloseable {

  final Path dataDir;
  final FileStore store;
  final SmtpServer server;

  private RunningServer(Path dataDir, FileStore store, SmtpServer server) {
    this.dataDir = dataDir;
    this.store = store;
    this.server = server;
  }

  static RunningServer start(Path dataDir) throws IOException {
    return start(dataDir, b -> b, CheckpointPolicy.DEFAULT);
  }

  static RunningServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> config, CheckpointPolicy policy)
      throws IOException {
    return start(dataDir, config, policy, Clock.systemUTC());
  }

  static RunningServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> config, CheckpointPolicy policy,
      Clock clock) throws IOException {
    // Only the server's clock is the test's here; the store keeps real time for its checkpoint interval.
    return start(dataDir, config, b -> b.checkpointPolicy(policy).clock(Clock.systemUTC()), clock);
  }

  /** The store gets {@code clock} too (retention), and whatever {@code storeConfig} sets. */
  static RunningServer start(Path dataDir, UnaryOperator<ServerConfig.Builder> config,
      UnaryOperator<FileStoreConfig.Builder> storeConfig, Clock clock) throws IOException {
    FileStore store = FileStore.open(storeConfig.apply(FileStoreConfig.builder(dataDir).clock(clock)).build());
    ServerConfig cfg = config.apply(ServerConfig.newBuilder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .hostname("mx.test")
        .localDomains(List.of("local.test", "localhost"))
        .trustedNetworks(List.of())).build(); // tests connect from loopback: no relaying unless a test asks
    SmtpServer server = SmtpServer.newBuilder().config(cfg).queue(store).checkpoints(store).clock(clock).build()
        .start();
    return new RunningServer(dataDir, store, server);
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** The data of every committed queue entry, oldest first. */
  List<byte[]> queuedMessages() {
    try {
      List<byte[]> out = new ArrayList<>();
      for (String id : store.list()) {
        out.add(read(id));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> queueIds() {
    try {
      return store.list();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The queue ids once at least {@code count} are queued (or after 10 s): a checkpointed message
   * becomes visible shortly after its 250, when the store has recorded its completion.
   */
  List<String> awaitQueueIds(int count) {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
          .until(() -> queueIds().size() >= count);
    } catch (ConditionTimeoutException e) {
      // the caller's assertion on the list says what is missing
    }
    return queueIds();
  }

  dev.relaypoint.store.Envelope envelope(String queueId) throws IOException {
    try (QueuedMessage m = store.open(queueId)) {
      return m.envelope();
    }
  }

  byte[] read(String queueId) throws IOException {
    try (QueuedMessage m = store.open(queueId)) {
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(m.size()));
      long pos = m.dataStart();
      while (buf.hasRemaining()) {
        int n = m.channel().read(buf, pos);
        if (n < 0) {
          throw new IOException("short queue file");
        }
        pos += n;
      }
      return buf.array();
    }
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}

package dev.relaypoint.client;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.QueuedMessage;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real Relaypoint server on an ephemeral port with a file store, for end-to-end client tests. */
final class RelaypointServer implements AutoCloseable {

  final FileStore store;
  final SmtpServer server;

  RelaypointServer(Path dataDir, boolean checkpoint) throws IOException {
    this(dataDir, checkpoint, Optional.empty(), CheckpointPolicy.DEFAULT);
  }

  /** With STARTTLS offered when {@code tls} is present, and the given checkpoint policy. */
  RelaypointServer(Path dataDir, boolean checkpoint, Optional<SslContext> tls, CheckpointPolicy policy)
      throws IOException {
    store = FileStore.open(FileStoreConfig.builder(dataDir).checkpointPolicy(policy).build());
    ServerConfig.Builder config = ServerConfig.newBuilder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .hostname("server.test")
        .localDomains(List.of("server.test"))
        .checkpointEnabled(checkpoint);
    tls.ifPresent(config::tls);
    server = SmtpServer.newBuilder().config(config.build()).queue(store).checkpoints(store).build().start();
  }

  /** The RFC 3848 protocol each queued message arrived with ("ESMTPS" under TLS), oldest first. */
  List<String> queuedProtocols() throws IOException {
    List<String> out = new ArrayList<>();
    for (String id : store.list()) {
      try (QueuedMessage m = store.open(id)) {
        out.add(m.envelope().protocol());
      }
    }
    return out;
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** The canonical content of every queued message, removing them from the queue. */
  /**
   * Waits (up to 10 s) until at least {@code expected} entries are queued, then takes them all. A
   * checkpointed message becomes visible in the queue shortly after its 250 (the store moves it
   * there in the background), so an immediate listing could miss it.
   */
  List<byte[]> takeQueued(int expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.list().size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<byte[]> out = new ArrayList<>();
    for (String id : store.list()) {
      try (QueuedMessage m = store.open(id)) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long pos = m.dataStart();
        long end = m.dataStart() + m.size();
        while (pos < end) {
          buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
          int n = m.channel().read(buf, pos);
          if (n < 0) {
            break;
          }
          data.write(buf.array(), 0, n);
          pos += n;
        }
        out.add(data.toByteArray());
      }
      store.remove(id);
    }
    return out;
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}

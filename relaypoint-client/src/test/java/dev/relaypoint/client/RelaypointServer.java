package dev.relaypoint.client;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.QueuedMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real Relaypoint server on an ephemeral port with a file store, for end-to-end client tests. */
final class RelaypointServer implements AutoCloseable {

  final FileStore store;
  final SmtpServer server;

  RelaypointServer(Path dataDir, boolean checkpoint) throws IOException {
    store = FileStore.open(FileStoreConfig.builder(dataDir).build());
    server = SmtpServer.newBuilder()
        .config(ServerConfig.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .hostname("server.test")
            .localDomains(List.of("server.test"))
            .checkpointEnabled(checkpoint)
            .build())
        .queue(store).checkpoints(store).build().start();
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** The canonical content of every queued message, removing them from the queue. */
  List<byte[]> takeQueued() throws IOException {
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

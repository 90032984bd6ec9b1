package dev.relaypoint.bench;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Bench-only wiring of the product's own store and server, with local delivery replaced by a discard
 * agent: each committed queue entry is removed at once, as Postfix's {@code discard:} transport does.
 * This is what a {@code relaypoint serve --discard} (no-delivery) option would run; it lets bench/run.sh
 * show how much Maildir delivery costs. Settings match the bench's {@code relaypoint serve} line.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.relaypoint.bench.NoDeliveryServer PORT DATA_DIR}
 */
public final class NoDeliveryServer {

  private NoDeliveryServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = Integer.parseInt(args[0]);
    Path dataDir = Path.of(args[1]).toAbsolutePath();
    FileStore store = FileStore.open(FileStoreConfig.builder(dataDir)
        .checkpointPolicy(new CheckpointPolicy(1L << 20, Duration.ofSeconds(1), Duration.ofHours(48)))
        .build());
    ServerConfig config = ServerConfig.newBuilder()
        .listen(new InetSocketAddress("127.0.0.1", port))
        .hostname("localhost")
        .localDomains(List.of("localhost"))
        .maxMessageSize(2L << 30)
        .build();
    SmtpServer server = SmtpServer.newBuilder().config(config).queue(store).checkpoints(store).build().start();
    ExecutorService discard = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bench-discard");
      t.setDaemon(true);
      return t;
    });
    store.onCommitted(id -> discard.execute(() -> {
      try {
        store.remove(id);
      } catch (IOException e) {
        System.err.println("discard " + id + ": " + e);
      }
    }));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      discard.shutdown();
      try {
        discard.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      store.close();
      stopped.countDown();
    }));
    System.err.println("relaypoint (no delivery, discard) listening on 127.0.0.1:" + port);
    stopped.await();
  }
}

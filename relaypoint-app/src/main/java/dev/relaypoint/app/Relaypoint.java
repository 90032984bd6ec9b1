package dev.relaypoint.app;

import dev.relaypoint.app.config.ServeSettings;
import dev.relaypoint.mta.LocalDelivery;
import dev.relaypoint.mta.QueueManager;
import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.ServerTls;
import dev.relaypoint.server.SmtpServer;
import io.netty.handler.ssl.SslContext;
import dev.relaypoint.server.UserFile;
import dev.relaypoint.store.CheckpointStore;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the running product: the data directory lock, the store (recovered before anything else), the
 * queue manager (local Maildir or discard, and remote delivery), the SMTP server, and the checkpoint
 * reaper. Shuts down in the reverse order on SIGTERM.
 */
final class Relaypoint {

  private static final Logger LOG = LoggerFactory.getLogger(Relaypoint.class);
  private static final long REAP_MINUTES = 10;

  private final ServeSettings settings;

  Relaypoint(ServeSettings settings) {
    this.settings = settings;
  }

  int runUntilStopped() throws IOException, InterruptedException {
    Path dataDir = settings.dataDir().toAbsolutePath().normalize();
    checkWritable(dataDir);
    DataDirLock lock = DataDirLock.tryAcquire(dataDir).orElseThrow(() ->
        new IOException("data directory " + dataDir + " is in use by another Relaypoint process"));
    FileStore store = FileStore.open(FileStoreConfig.builder(dataDir)
        .checkpointPolicy(settings.checkpointPolicy())
        .build());
    List<SmtpServer> servers = new ArrayList<>();
    QueueManager delivery = new QueueManager(store, settings.relay());
    try {
      delivery.start();
      for (ServerConfig config : listeners(dataDir)) {
        servers.add(SmtpServer.newBuilder().config(config).queue(store).checkpoints(store).build().start());
      }
    } catch (IOException | RuntimeException e) {
      servers.forEach(SmtpServer::close);
      delivery.close();
      store.close();
      lock.close();
      throw e;
    }
    SmtpServer server = servers.get(0);
    ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "relaypoint-reaper");
      t.setDaemon(true);
      return t;
    });
    reaper.scheduleWithFixedDelay(() -> reap(store), 0, REAP_MINUTES, TimeUnit.MINUTES);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      servers.forEach(SmtpServer::close);
      reaper.shutdownNow();
      delivery.close();
      store.close();
      try {
        lock.close();
      } catch (IOException e) {
        LOG.debug("releasing the data directory lock: {}", e.toString());
      }
      stopped.countDown();
    }, "relaypoint-shutdown"));
    LOG.info("Relaypoint listening on {}:{} as {} for {}; data in {}", server.address().getHostString(),
        server.address().getPort(), settings.server().hostname(), settings.server().localDomains(), dataDir);
    if (settings.relay().localDelivery() == LocalDelivery.DISCARD) {
      LOG.info("local-delivery is discard: mail for {} is accepted, then thrown away", settings.server().localDomains());
    }
    servers.stream().skip(1).forEach(s -> LOG.info("also listening on {}:{} ({})", s.address().getHostString(),
        s.address().getPort(), s.config().implicitTls() ? "implicit TLS" : "submission, AUTH required"));
    stopped.await();
    return 0;
  }

  /** The main listener (STARTTLS unless TLS is off), then the optional implicit-TLS and submission ones. */
  private List<ServerConfig> listeners(Path dataDir) throws IOException {
    ServerConfig.Builder base = settings.server().toBuilder();
    ServeSettings.AuthSettings auth = settings.auth();
    Path users = auth.users().orElse(dataDir.resolve("users"));
    if (Files.exists(users) || auth.users().isPresent()) {
      base.authenticator(new UserFile(users)).authWithoutTls(auth.withoutTls());
    }
    ServeSettings.TlsSettings tls = settings.tls();
    if (tls.enabled()) {
      SslContext context = tls.certificate().isPresent()
          ? ServerTls.fromPem(tls.certificate().get(), tls.key().orElseThrow())
          : ServerTls.selfSigned(dataDir.resolve("tls"), settings.server().hostname());
      base.tls(context);
    }
    ServerConfig main = base.build();
    List<ServerConfig> all = new ArrayList<>(List.of(main));
    tls.implicitListen().ifPresent(a -> all.add(main.toBuilder().listen(a).implicitTls(true).build()));
    auth.submissionListen().ifPresent(a -> all.add(main.toBuilder().listen(a).requireAuth(true).build()));
    return all;
  }

  private static void reap(CheckpointStore store) {
    try {
      CheckpointStore.ReapResult r = store.reapExpired();
      if (r.transactions() > 0) {
        LOG.info("reaper freed {} expired checkpointed transactions, {} octets", r.transactions(), r.bytes());
      }
    } catch (RuntimeException e) {
      LOG.warn("reaper failed: {}", e.toString());
    }
  }

  private static void checkWritable(Path dir) throws IOException {
    try {
      if (!Files.isDirectory(dir)) {
        // Partial and queued mail is private: the data directory is created owner-only.
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (FileSystemException e) {
      throw new IOException("cannot create data directory " + dir + ": "
          + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new IOException("data directory is not writable: " + dir);
    }
  }
}

package dev.relaypoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.app.queue.QueueExitCodes;
import dev.relaypoint.mta.QueueManager;
import dev.relaypoint.mta.QueueManagerConfig;
import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueueState;
import dev.relaypoint.store.RecipientState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code relaypoint queue ...} on a stopped data directory and through a running queue manager. */
class QueueCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.toString();
    return cli.execute(all);
  }

  private static String commit(FileStore store, String sender, List<String> rcpts) throws Exception {
    Envelope e = new Envelope(sender, Map.of(), rcpts, "client.test", "192.0.2.7", "ESMTP",
        Instant.parse("2026-11-29T10:15:30Z"), Optional.empty());
    MessageWriter w = store.begin(e);
    byte[] data = "Subject: quarterly report\r\nFrom: <a@client.test>\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
    w.write(ByteBuffer.wrap(data), data.length);
    w.commit().toCompletableFuture().get();
    return w.queueId();
  }

  @Test
  void listAndShowAreAlignedAndUnknownIdsExitWith3() throws Exception {
    String a;
    String b;
    try (FileStore store = FileStore.open(FileStoreConfig.builder(dir).build())) {
      a = commit(store, "a@client.test", List.of("x@far.test", "y@far.test"));
      b = commit(store, "", List.of("postmaster@near.test"));
      store.move(a, QueueState.INCOMING, QueueState.DEFERRED);
      Instant t = Instant.parse("2026-11-29T10:20:00Z");
      DeliveryStatus s = DeliveryStatus.initial(store.open(a).envelope());
      store.writeStatus(a, s.withRecipients(List.of(
          s.recipients().get(0).with(RecipientState.Status.DELIVERED, "250 2.0.0 ok", t),
          s.recipients().get(1).withTransactionId(Optional.of("<ab12@relay.test>"))
              .with(RecipientState.Status.DEFERRED, "451 4.4.1 connection refused", t)))
          .attempted(t, Optional.of(t.plusSeconds(300))));
    }
    assertThat(run("queue", "list")).isEqualTo(0);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).startsWith("QUEUE ID          STATE     SIZE  ARRIVED               NEXT ATTEMPT");
    assertThat(lines.get(1)).startsWith(b + "  incoming  56B   2026-11-29 10:15:30Z  -                     <>");
    assertThat(lines.get(2)).startsWith(a + "  deferred  56B   2026-11-29 10:15:30Z  2026-11-29 10:25:00Z  a@client.test")
        .endsWith("x@far.test +1 (1 pending)");
    assertThat(lines).contains("2 entries: 1 incoming, 0 active, 1 deferred, 0 hold");

    out.getBuffer().setLength(0);
    assertThat(run("queue", "show", a)).isEqualTo(0);
    assertThat(out.toString()).contains("State:         deferred", "Subject:       quarterly report",
        "y@far.test  deferred   <ab12@relay.test>  451 4.4.1 connection refused",
        "x@far.test  delivered  -                  250 2.0.0 ok");

    for (String[] cmd : List.of(new String[] {"show", "0000000000000000"}, new String[] {"hold", "0000000000000000"},
        new String[] {"delete", "not-an-id"})) {
      err.getBuffer().setLength(0);
      assertThat(run("queue", cmd[0], cmd[1])).as(cmd[0]).isEqualTo(QueueExitCodes.UNKNOWN_ID);
      assertThat(err.toString()).isEqualTo("relaypoint: no such queue id: " + cmd[1] + "\n");
    }
  }

  @Test
  void holdReleaseDeleteWithoutAServer() throws Exception {
    String a;
    try (FileStore store = FileStore.open(FileStoreConfig.builder(dir).build())) {
      a = commit(store, "a@client.test", List.of("x@far.test"));
    }
    assertThat(run("queue", "release", a)).isEqualTo(QueueExitCodes.CONFLICT);
    assertThat(run("queue", "hold", a)).isEqualTo(0);
    assertThat(out.toString()).isEqualTo(a + " is on hold\n");
    assertThat(run("queue", "retry", a)).isEqualTo(QueueExitCodes.CONFLICT);
    assertThat(err.toString()).contains("is on hold: release it first");
    assertThat(run("queue", "release", a)).isEqualTo(0);
    assertThat(run("queue", "delete", a)).isEqualTo(0);
    assertThat(run("queue", "show", a)).isEqualTo(QueueExitCodes.UNKNOWN_ID);
  }

  @Test
  void changesGoThroughTheRunningQueueManager() throws Exception {
    try (DataDirLock lock = DataDirLock.tryAcquire(dir.toAbsolutePath()).orElseThrow()) {
      assertThat(lock).isNotNull();
    }
    FileStore store = FileStore.open(FileStoreConfig.builder(dir).build());
    String a = commit(store, "a@client.test", List.of("x@far.test"));
    store.move(a, QueueState.INCOMING, QueueState.HOLD); // parked before the manager starts
    QueueManagerConfig config = QueueManagerConfig.newBuilder().hostname("relay.test").localDomains(Set.of("local.test"))
        .route("far.test", dev.relaypoint.client.Destination.server("127.0.0.1", 9)) // discard port: refused
        .pollInterval(Duration.ofMillis(20)).build();
    try (DataDirLock lock = DataDirLock.tryAcquire(dir).orElseThrow(); QueueManager manager = new QueueManager(store, config)) {
      manager.start();
      assertThat(run("queue", "flush")).isEqualTo(0);
      assertThat(out.toString()).isEqualTo("0 deferred entries will be tried now\n");
      assertThat(run("queue", "delete", a)).isEqualTo(0);
      assertThat(store.locate(a)).isEmpty();
      assertThat(run("queue", "release", a)).isEqualTo(QueueExitCodes.UNKNOWN_ID);
    } finally {
      store.close();
    }
  }
}

package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.server.Cidr;
import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discard through the real server and queue manager, on port 0: mail is accepted with 250 after the
 * commit, taken by the queue manager, and the queue empties with nothing written to Maildir. A discard
 * route changes where accepted mail goes, not who may relay.
 */
class DiscardDeliveryIT {

  @TempDir Path dir;

  @Test
  void localMailIsAcceptedThenDiscardedAndTheQueueEmpties() throws Exception {
    try (TestRelay relay = new TestRelay(dir, b -> b.localDelivery(LocalDelivery.DISCARD)).start();
        SmtpServer server = server(relay, List.of())) {
      try (SmtpTestClient client = mailFrom(server)) {
        assertThat(client.command("RCPT TO:<Ann@local.test>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<bob@local.test>").code()).isEqualTo(250);
        sendData(client);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> relay.manager.attemptsMade() == 1 && relay.queueIsEmpty());
      assertThat(relay.data.resolve("maildir")).doesNotExist();
      assertThat(files(relay.data.resolve("queue").resolve("status"))).as("no status file is left").isEmpty();
    }
  }

  @Test
  void aDiscardRouteDoesNotOpenTheRelay() throws Exception {
    try (TestRelay relay = new TestRelay(dir, b -> b.route("example.org", new Route.Discard())).start();
        SmtpServer untrusted = server(relay, List.of());
        SmtpServer trusted = server(relay, List.of(Cidr.parse("127.0.0.0/8")))) {
      try (SmtpTestClient client = mailFrom(untrusted)) {
        assertThat(client.command("RCPT TO:<x@example.org>").code()).isEqualTo(554);
      }
      try (SmtpTestClient client = mailFrom(trusted)) {
        assertThat(client.command("RCPT TO:<x@example.org>").code()).isEqualTo(250);
        sendData(client);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.manager.attemptsMade() == 1 && relay.queueIsEmpty());
      assertThat(relay.data.resolve("maildir")).doesNotExist();
    }
  }

  /** The server as Relaypoint wires it, on the relay's store; the same local domain as the queue manager. */
  private static SmtpServer server(TestRelay relay, List<Cidr> trusted) throws IOException {
    ServerConfig config = ServerConfig.newBuilder().listen(new InetSocketAddress("127.0.0.1", 0))
        .hostname("relay.test").localDomains(List.of("local.test")).trustedNetworks(trusted).build();
    return SmtpServer.newBuilder().config(config).queue(relay.store).checkpoints(relay.store).build().start();
  }

  /** A session after its MAIL FROM was accepted. */
  private static SmtpTestClient mailFrom(SmtpServer server) throws IOException {
    SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", server.address().getPort());
    assertThat(client.readReply().code()).isEqualTo(220);
    assertThat(client.command("EHLO client.test").code()).isEqualTo(250);
    assertThat(client.command("MAIL FROM:<s@client.test>").code()).isEqualTo(250);
    return client;
  }

  /** DATA, the message and the final dot: 250 means committed to the queue. */
  private static void sendData(SmtpTestClient client) throws IOException {
    assertThat(client.command("DATA").code()).isEqualTo(354);
    client.sendRaw(QueueManagerTest.MESSAGE);
    assertThat(client.command(".").code()).isEqualTo(250);
  }


  private static List<Path> files(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.toList();
    }
  }
}

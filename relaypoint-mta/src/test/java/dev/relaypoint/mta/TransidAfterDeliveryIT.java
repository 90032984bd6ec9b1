package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.testkit.Reply;
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
 * A small TRANSID message is committed straight into the queue and delivered at once, usually before
 * the client's next command: when its 250 was lost, the resend must still be answered 355 total and
 * 250 with the same queue id, and nothing may be delivered twice, through the real server, queue
 * manager and Maildir (store package-info, "Transactions that never reach a checkpoint").
 */
class TransidAfterDeliveryIT {

  private static final String MAIL = "MAIL FROM:<s@client.test> TRANSID=<lost-250@client.test>";

  @TempDir Path dir;

  @Test
  void aLostFinalReplyAfterDeliveryGetsTheSameQueueIdAndNoSecondCopy() throws Exception {
    try (TestRelay relay = new TestRelay(dir, b -> b).start(); SmtpServer server = server(relay)) {
      String qid;
      try (SmtpTestClient client = session(server)) {
        assertThat(client.command(MAIL).code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<ann@local.test>").code()).isEqualTo(250);
        assertThat(client.command("DATA").code()).isEqualTo(354);
        client.sendRaw(QueueManagerTest.MESSAGE);
        Reply accepted = client.command(".");
        assertThat(accepted.code()).isEqualTo(250);
        qid = accepted.text().substring(accepted.text().lastIndexOf(' ') + 1);
        client.abort(); // the 250 "never arrived": no QUIT, no next command
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.mailbox("ann@local.test").size() == 1
          && relay.queueIsEmpty());
      assertThat(files(relay.data.resolve("queue/done"))).as("kept as the completion record").hasSize(1);

      try (SmtpTestClient client = session(server)) {
        Reply restart = client.command(MAIL);
        assertThat(restart.code()).isEqualTo(355);
        assertThat(restart.text()).startsWith(QueueManagerTest.MESSAGE.length + " ");
        assertThat(client.command("DATA").code()).isEqualTo(354);
        Reply again = client.command(".");
        assertThat(again.code()).isEqualTo(250);
        assertThat(again.text()).endsWith(qid);
        assertThat(client.command("QUIT").code()).isEqualTo(221);
      }
      assertThat(files(relay.data.resolve("queue/done"))).as("forgotten after QUIT").isEmpty();
      assertThat(relay.manager.attemptsMade()).isEqualTo(1);
      assertThat(relay.queueIsEmpty()).isTrue();
      assertThat(relay.mailbox("ann@local.test")).hasSize(1);

      try (SmtpTestClient client = session(server)) {
        assertThat(client.command(MAIL).code()).as("a new transaction now").isEqualTo(250);
      }
    }
  }

  private static SmtpServer server(TestRelay relay) throws IOException {
    ServerConfig config = ServerConfig.newBuilder().listen(new InetSocketAddress("127.0.0.1", 0))
        .hostname("relay.test").localDomains(List.of("local.test")).build();
    return SmtpServer.newBuilder().config(config).queue(relay.store).checkpoints(relay.store).build().start();
  }

  private static SmtpTestClient session(SmtpServer server) throws IOException {
    SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", server.address().getPort());
    assertThat(client.readReply().code()).isEqualTo(220);
    assertThat(client.command("EHLO client.test").code()).isEqualTo(250);
    return client;
  }


  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.toList();
    }
  }
}

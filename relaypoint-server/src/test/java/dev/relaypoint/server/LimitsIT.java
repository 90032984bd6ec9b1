package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session and connection limits (SECURITY-TESTS.md §3.3–3.5). */
class LimitsIT {

  private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.2", 0);

  @TempDir
  Path dir;

  private RunningServer start(UnaryOperator<ServerConfig.Builder> config) throws IOException {
    return RunningServer.start(dir, config, CheckpointPolicy.DEFAULT);
  }

  private static SmtpTestClient greeted(RunningServer server, InetSocketAddress from) throws IOException {
    SmtpTestClient c = SmtpTestClient.connectFrom(from, server.address(), Duration.ofSeconds(5));
    assertThat(c.readReply().code()).isEqualTo(220);
    return c;
  }

  @Test
  void slowlorisDiesAtTheAbsoluteCommandDeadline() throws Exception {
    try (RunningServer server = start(b -> b.idleTimeout(Duration.ofMillis(800)));
        SmtpTestClient c = greeted(server, null)) {
      long start = System.nanoTime();
      byte[] trickle = "NOOP and more and more".getBytes(StandardCharsets.US_ASCII);
      Reply reply = null;
      c.readTimeout(Duration.ofMillis(200));
      for (int i = 0; i < trickle.length && reply == null; i++) {
        c.sendRaw(new byte[] {trickle[i]}); // one byte every 200 ms: well within any idle timeout
        try {
          reply = c.readReply();
        } catch (java.net.SocketTimeoutException stillWaiting) {
          // the server is still waiting for the line
        }
      }
      assertThat(reply).isNotNull();
      assertThat(reply.code()).isEqualTo(421);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }
  }

  @Test
  void stalledDataTimesOut() throws Exception {
    try (RunningServer server = start(b -> b.dataTimeout(Duration.ofMillis(500)));
        SmtpTestClient c = greeted(server, null)) {
      c.command("EHLO c.test");
      c.command("MAIL FROM:<a@c.test>");
      c.command("RCPT TO:<b@local.test>");
      assertThat(c.command("DATA").code()).isEqualTo(354);
      c.sendRaw("Subject: slow\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.readReply().code()).isEqualTo(421);
      assertThat(server.queueIds()).isEmpty();
    }
  }

  @Test
  void connectionsPerClientAddressAreCappedAtTheGreeting() throws Exception {
    try (RunningServer server = start(b -> b.maxConnectionsPerClient(2));
        SmtpTestClient first = greeted(server, null);
        SmtpTestClient second = greeted(server, null);
        SmtpTestClient third = SmtpTestClient.connect(server.address(), Duration.ofSeconds(5));
        SmtpTestClient elsewhere = greeted(server, OTHER)) {
      Reply refused = third.readReply();
      assertThat(refused.code()).isEqualTo(421);
      assertThat(refused.lines().get(0)).startsWith("4.7.0");
      assertThat(elsewhere.command("NOOP").code()).as("another client address").isEqualTo(250);
      first.command("QUIT");
      first.close();
      Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        try (SmtpTestClient again = SmtpTestClient.connect(server.address(), Duration.ofSeconds(5))) {
          assertThat(again.readReply().code()).as("a slot was freed").isEqualTo(220);
        }
      });
    }
  }

  /** Trusted networks (the operator's own relays, Postfix's anvil exceptions) are not capped per address. */
  @Test
  void trustedClientsAreNotCappedPerAddress() throws Exception {
    try (RunningServer server = start(b -> b.maxConnectionsPerClient(1)
            .trustedNetworks(List.of(Cidr.parse("127.0.0.1/32"))));
        SmtpTestClient first = greeted(server, null);
        SmtpTestClient second = greeted(server, null);
        SmtpTestClient untrusted = greeted(server, OTHER);
        SmtpTestClient refused = SmtpTestClient.connectFrom(OTHER, server.address(), Duration.ofSeconds(5))) {
      assertThat(second.command("NOOP").code()).isEqualTo(250);
      assertThat(refused.readReply().code()).as("an untrusted address still is").isEqualTo(421);
    }
  }

  @Test
  void recipientsBeyondTheLimitGet452AndEarlierOnesAreKept() throws Exception {
    try (RunningServer server = start(b -> b.maxRecipients(100));
        SmtpTestClient c = greeted(server, null)) {
      c.command("EHLO c.test");
      c.command("MAIL FROM:<a@c.test>");
      for (int i = 0; i < 100; i++) {
        assertThat(c.command("RCPT TO:<u" + i + "@local.test>").code()).isEqualTo(250);
      }
      for (int i = 0; i < 30; i++) {
        Reply r = c.command("RCPT TO:<extra" + i + "@local.test>");
        assertThat(r.code()).as("not counted as errors either").isEqualTo(452);
        assertThat(r.lines().get(0)).startsWith("4.5.3");
      }
      assertThat(c.command("DATA").code()).isEqualTo(354);
      c.sendRaw("Subject: many\r\n\r\nx\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.readReply().code()).isEqualTo(250);
      assertThat(server.queueIds()).hasSize(1);
    }
  }

  @Test
  void tooManyErrorsEndTheSessionWith421() throws Exception {
    try (RunningServer server = start(b -> b.maxErrors(3));
        SmtpTestClient c = greeted(server, null)) {
      assertThat(c.command("XYZZY").code()).isEqualTo(500);
      assertThat(c.command("RCPT TO:<b@local.test>").code()).isEqualTo(503);
      assertThat(c.command("PLUGH").code()).isEqualTo(500);
      Reply last = c.readReply();
      assertThat(last.code()).isEqualTo(421);
      assertThat(last.lines().get(0)).startsWith("4.7.0");
    }
  }

  @Test
  void guessedTransactionIdsCountAsErrors() throws Exception {
    try (RunningServer server = start(b -> b.maxErrors(3));
        SmtpTestClient c = greeted(server, null)) {
      c.command("EHLO guesser.test");
      for (int i = 0; i < 2; i++) {
        assertThat(c.command("MAIL FROM:<a@c.test> TRANSID=<guess." + i + "@c.test>").code()).isEqualTo(250);
        assertThat(c.command("RSET").code()).isEqualTo(250);
      }
      assertThat(c.command("MAIL FROM:<a@c.test> TRANSID=<guess.2@c.test>").code()).isEqualTo(421);
    }
  }

  @Test
  void aClientThatTalksBeforeTheGreetingIsDisconnected() throws Exception {
    try (RunningServer server = start(b -> b.greetingDelay(Duration.ofMillis(500)));
        SmtpTestClient c = SmtpTestClient.connect(server.address(), Duration.ofSeconds(5))) {
      c.send("EHLO eager.test");
      Reply r = c.readReply();
      assertThat(r.code()).isEqualTo(554);
      try (SmtpTestClient patient = SmtpTestClient.connect(server.address(), Duration.ofSeconds(5))) {
        assertThat(patient.readReply().code()).isEqualTo(220);
        assertThat(patient.command("EHLO patient.test").code()).isEqualTo(250);
      }
    }
  }

  /** 100,000 pipelined NOOPs from a client that does not read: backpressure, then every reply in order. */
  @Test
  void pipelinedNoopFloodIsAnsweredInOrderWithBoundedBuffering() throws Exception {
    int count = 100_000;
    try (RunningServer server = start(b -> b);
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(server.address(), 5000);
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] flood = "NOOP\r\n".repeat(count).getBytes(StandardCharsets.US_ASCII);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          out.write(flood);
          out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Thread.sleep(1000); // the server reads only while we read its replies
      byte[] all = in.readAllBytes();
      writer.get();
      String replies = new String(all, StandardCharsets.US_ASCII);
      assertThat(replies).startsWith("220 ");
      int ok = replies.split("250 2.0.0 Ok\r\n", -1).length - 1;
      assertThat(ok).isEqualTo(count);
      assertThat(replies).endsWith("221 2.0.0 mx.test closing connection\r\n");
    }
  }
}

package dev.relaypoint.app;

import static dev.relaypoint.app.RelayNodes.awaitMail;
import static dev.relaypoint.app.RelayNodes.endsWithOriginal;
import static dev.relaypoint.app.RelayNodes.node;
import static dev.relaypoint.app.RelayNodes.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.store.QueueState;
import dev.relaypoint.testkit.CutMode;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import dev.relaypoint.testkit.TestMessages;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Relaypoint processes: A (a.test) relays to B (b.test) through a static route that points at a
 * FaultProxy in front of B. Each test checks that the message arrives once and byte-identical.
 */
class TwoNodeRelayIT {

  static final Duration DELIVERY = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private ServerProcess nodeA(FaultProxy proxy, String... extra) throws Exception {
    String[] lines = new String[extra.length + 2];
    lines[0] = "routes:";
    lines[1] = "  b.test: 127.0.0.1:" + proxy.port();
    System.arraycopy(extra, 0, lines, 2, extra.length);
    return node(tmp.resolve("a"), "a.test", lines);
  }

  @Test
  void cutMidTransferResumesAtTheReceiversOffset() throws Exception {
    byte[] message = TestMessages.generate(8 << 20, 7);
    try (ServerProcess b = node(tmp.resolve("b"), "b.test");
        FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", b.port()));
        ServerProcess a = nodeA(proxy)) {
      // FIN: B reads everything before the cut (an RST would make its kernel drop what is still buffered).
      proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, (long) (message.length * 0.75), CutMode.FIN));
      submit(a.port(), "alice@a.test", List.of("bob@b.test"), message);

      Path delivered = awaitMail(tmp.resolve("b"), "bob", "b.test", DELIVERY).get(0);
      assertThat(proxy.connectionCount()).isEqualTo(2);
      long resent = proxy.bytesForwarded(Direction.CLIENT_TO_SERVER);
      assertThat(resent).as("second connection carries only the rest").isLessThan(message.length / 2);
      byte[] got = Files.readAllBytes(delivered);
      assertThat(endsWithOriginal(got, message)).isTrue();
      String head = new String(got, 0, got.length - message.length, StandardCharsets.US_ASCII);
      assertThat(head).contains("by mx.a.test (Relaypoint)", "by mx.b.test (Relaypoint)");
      await().atMost(DELIVERY).until(() -> RelayNodes.queueEmpty(tmp.resolve("a")));
      Thread.sleep(500);
      assertThat(RelayNodes.mailbox(tmp.resolve("b"), "bob", "b.test")).hasSize(1);
    }
  }

  @Test
  void relayKilledMidDeliveryResumesAfterRestartAndDeliversOnce() throws Exception {
    byte[] message = TestMessages.generate(16 << 20, 8);
    try (ServerProcess b = node(tmp.resolve("b"), "b.test");
        FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", b.port()))) {
      FaultPlan slow = FaultPlan.builder().fragment(32 * 1024).delay(Duration.ofMillis(8)).build();
      proxy.enqueue(slow);
      ServerProcess a = nodeA(proxy);
      try {
        submit(a.port(), "alice@a.test", List.of("bob@b.test"), message);
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(20))
            .until(() -> proxy.bytesForwarded(Direction.CLIENT_TO_SERVER) > message.length / 2);
        a.kill(); // SIGKILL mid-transfer
      } finally {
        a.close();
      }
      assertThat(RelayNodes.queued(tmp.resolve("a"), QueueState.ACTIVE)).hasSize(1);
      Thread.sleep(1500); // B notices the broken connection and keeps its checkpoint
      try (ServerProcess again = nodeA(proxy)) {
        Path delivered = awaitMail(tmp.resolve("b"), "bob", "b.test", DELIVERY).get(0);
        assertThat(endsWithOriginal(Files.readAllBytes(delivered), message)).isTrue();
        assertThat(proxy.connectionCount()).isEqualTo(2);
        assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_SERVER)).as("resumed, not resent")
            .isLessThan(message.length / 2);
        await().atMost(DELIVERY).until(() -> RelayNodes.queueEmpty(tmp.resolve("a")));
        assertThat(again.stderr()).contains("RFC 1845 restart");
      }
      assertThat(RelayNodes.mailbox(tmp.resolve("b"), "bob", "b.test")).hasSize(1);
    }
  }

  @Test
  void receiverDownDefersAndDeliversWhenItIsBack() throws Exception {
    byte[] message = TestMessages.generate(4096, 9);
    try (ServerProcess b = node(tmp.resolve("b"), "b.test");
        FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", b.port()));
        ServerProcess a = nodeA(proxy)) {
      proxy.refuseConnections(true);
      submit(a.port(), "alice@a.test", List.of("bob@b.test"), message);
      try {
        await().atMost(DELIVERY).until(() -> !RelayNodes.queued(tmp.resolve("a"), QueueState.DEFERRED).isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("A never deferred; its log:\n" + a.stderr(), e);
      }
      assertThat(RelayNodes.mailbox(tmp.resolve("b"), "bob", "b.test")).isEmpty();
      int refused = proxy.refusedCount();
      assertThat(refused).isPositive();
      await().atMost(DELIVERY).until(() -> proxy.refusedCount() > refused); // retried while down
      proxy.refuseConnections(false);
      Path delivered = awaitMail(tmp.resolve("b"), "bob", "b.test", DELIVERY).get(0);
      assertThat(endsWithOriginal(Files.readAllBytes(delivered), message)).isTrue();
      await().atMost(DELIVERY).until(() -> RelayNodes.queueEmpty(tmp.resolve("a")));
    }
  }

  @Test
  void permanentRefusalByTheReceiverBouncesIntoTheSendersLocalMaildir() throws Exception {
    byte[] message = "Subject: for two\r\nMessage-ID: <m1@a.test>\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
    try (ServerProcess b = node(tmp.resolve("b"), "b.test", "local-parts:", "  b.test: [bob]");
        FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", b.port()));
        ServerProcess a = nodeA(proxy)) {
      submit(a.port(), "alice@a.test", List.of("bob@b.test", "nobody@b.test"), message);
      awaitMail(tmp.resolve("b"), "bob", "b.test", DELIVERY);
      String bounce = Files.readString(awaitMail(tmp.resolve("a"), "alice", "a.test", DELIVERY).get(0));
      assertThat(bounce).contains("Return-Path: <>", "From: Mail Delivery System <MAILER-DAEMON@mx.a.test>",
          "report-type=delivery-status", "Final-Recipient: rfc822; nobody@b.test", "Status: 5.1.1",
          "Diagnostic-Code: smtp; 550 5.1.1", "Message-ID: <m1@a.test>").doesNotContain("bob@b.test\r\nAction");
      await().atMost(DELIVERY).until(() -> RelayNodes.queueEmpty(tmp.resolve("a")));
    }
  }
}

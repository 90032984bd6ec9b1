package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.QueueState;
import dev.relaypoint.store.RecipientState;
import dev.relaypoint.store.RecipientState.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-recipient results, retries with the test's clock, bounces, and the TRANSID kept for a resume. */
class QueueManagerTest {

  static final byte[] MESSAGE = "Subject: hello\r\nFrom: <s@local.test>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private static Status statusOf(DeliveryStatus s, String address) {
    return s.recipients().stream().filter(r -> r.address().equals(address)).findFirst().orElseThrow().status();
  }

  @Test
  void eachRecipientGetsItsOwnResultAndTheBounceComesWhenAllAreSettled() throws Exception {
    try (SinkServer sink = SinkServer.start().policy(a -> a.startsWith("later") ? "450 4.2.1 busy"
        : a.startsWith("gone") ? "550 5.1.1 no such user" : "250 2.1.5 ok");
        TestRelay relay = new TestRelay(dir, TestRelay.route("remote.test", sink.port())).start()) {
      String qid = relay.enqueue("Sender@local.test",
          List.of("alice@local.test", "ok@remote.test", "later@remote.test", "gone@remote.test"), MESSAGE);

      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).equals(Optional.of(QueueState.DEFERRED)));
      DeliveryStatus s = relay.status(qid);
      assertThat(s.recipients()).extracting(RecipientState::status)
          .containsExactly(Status.DELIVERED, Status.DELIVERED, Status.DEFERRED, Status.BOUNCED);
      assertThat(s.attempts()).isEqualTo(1);
      assertThat(s.nextAttempt()).contains(TestRelay.T0.plus(Duration.ofMinutes(1)));
      assertThat(s.recipients().get(2).lastReply()).contains("450 4.2.1 busy");
      assertThat(s.recipients().get(2).transactionId()).as("completed: a retry is a new transaction").isEmpty();
      assertThat(relay.mailbox("alice@local.test")).hasSize(1);
      assertThat(sink.received).hasSize(1);
      assertThat(sink.received.get(0).recipients()).containsExactly("ok@remote.test");
      assertThat(sink.received.get(0).text()).startsWith("Received: from client.test ([192.0.2.7])\r\n\tby relay.test")
          .endsWith("\r\n\r\nbody\r\n");
      assertThat(relay.mailbox("sender@local.test")).as("no bounce while a recipient is pending").isEmpty();

      sink.policy(a -> "250 2.1.5 ok");
      Thread.sleep(300);
      assertThat(sink.received).as("not before the next attempt time").hasSize(1);
      relay.clock.advance(Duration.ofMinutes(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).isEmpty());
      assertThat(sink.received).hasSize(2);
      assertThat(sink.received.get(1).recipients()).containsExactly("later@remote.test");
      assertThat(sink.mailLines.get(0)).contains("TRANSID=");
      assertThat(transId(sink.mailLines.get(1))).isNotEqualTo(transId(sink.mailLines.get(0)));
      assertThat(relay.mailbox("alice@local.test")).hasSize(1);

      await().atMost(Duration.ofSeconds(10)).until(() -> relay.mailbox("sender@local.test").size() == 1);
      String bounce = Files.readString(relay.mailbox("sender@local.test").get(0));
      assertThat(bounce).contains("Return-Path: <>\r\n", "Content-Type: multipart/report; report-type=delivery-status;",
          "Final-Recipient: rfc822; gone@remote.test\r\nAction: failed\r\nStatus: 5.1.1\r\n",
          "Diagnostic-Code: smtp; 550 5.1.1 no such user", "Subject: hello\r\n")
          .doesNotContain("later@remote.test", "\r\nbody\r\n");
      assertThat(bounce.replace("\r\n", "")).doesNotContain("\r", "\n");
    }
  }

  @Test
  void transactionIdIsDurableBeforeTheFirstAttemptAndReusedAfterABreak() throws Exception {
    SinkServer down = SinkServer.start();
    int port = down.port();
    down.close(); // nothing listens: the attempt breaks
    try (TestRelay relay = new TestRelay(dir, TestRelay.route("remote.test", port)).start()) {
      String qid = relay.enqueue("s@local.test", List.of("x@remote.test", "y@remote.test"), MESSAGE);
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).equals(Optional.of(QueueState.DEFERRED)));
      DeliveryStatus s = relay.status(qid);
      String transId = s.recipients().get(0).transactionId().orElseThrow();
      assertThat(s.recipients().get(1).transactionId()).contains(transId);
      assertThat(s.recipients()).allMatch(r -> r.status() == Status.DEFERRED);
      assertThat(s.recipients().get(0).lastReply().orElseThrow()).startsWith("451 4.4.1 ");

      try (SinkServer up = new SinkServer(new java.net.InetSocketAddress("127.0.0.1", port))) {
        relay.clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).isEmpty());
        assertThat(up.mailLines).hasSize(1);
        assertThat(up.mailLines.get(0)).contains("TRANSID=" + transId);
      }
    }
  }

  @Test
  void expiredMessageBouncesWith447AndNullSenderNeverBounces() throws Exception {
    try (SinkServer sink = SinkServer.start().policy(a -> "451 4.3.0 try later");
        TestRelay relay = new TestRelay(dir, TestRelay.route("remote.test", sink.port())).start()) {
      String withSender = relay.enqueue("s@local.test", List.of("x@remote.test"), MESSAGE);
      String nullSender = relay.enqueue("", List.of("y@remote.test"), MESSAGE);
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.list(QueueState.DEFERRED).size() == 2);
      relay.clock.advance(Duration.ofMinutes(61));
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(withSender).isEmpty()
          && relay.store.locate(nullSender).isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.mailbox("s@local.test").size() == 1);
      String bounce = Files.readString(relay.mailbox("s@local.test").get(0));
      assertThat(bounce).contains("Final-Recipient: rfc822; x@remote.test", "Status: 4.4.7", "Action: failed",
          "451 4.3.0 try later");
      Thread.sleep(300);
      assertThat(relay.store.list(QueueState.INCOMING)).isEmpty();
      assertThat(relay.store.list(QueueState.DEFERRED)).isEmpty();
      assertThat(relay.mailbox("s@local.test")).hasSize(1);
    }
  }

  @Test
  void entriesLeftActiveByACrashAreDeliveredAtStart() throws Exception {
    try (TestRelay relay = new TestRelay(dir, b -> b)) {
      String qid = relay.enqueue("s@client.test", List.of("ann@local.test", "bob@local.test"), MESSAGE);
      relay.store.move(qid, QueueState.INCOMING, QueueState.ACTIVE);
      relay.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).isEmpty());
      assertThat(relay.mailbox("ann@local.test")).hasSize(1);
      assertThat(relay.mailbox("bob@local.test")).hasSize(1);
      assertThat(Files.readString(relay.mailbox("bob@local.test").get(0)))
          .startsWith("Return-Path: <s@client.test>\r\nReceived: from client.test ([192.0.2.7])\r\n")
          .endsWith("\r\n\r\nbody\r\n");
    }
  }

  @Test
  void discardedRecipientsAreDeliveredWithoutMaildirAndRecordedWhenTheEntryStays() throws Exception {
    try (SinkServer sink = SinkServer.start().policy(a -> "450 4.2.1 busy");
        TestRelay relay = new TestRelay(dir, b -> TestRelay.route("remote.test", sink.port()).apply(b)
            .localDelivery(LocalDelivery.DISCARD).route("gone.test", new Route.Discard())).start()) {
      String qid = relay.enqueue("s@local.test", List.of("ann@local.test", "x@remote.test", "y@gone.test"), MESSAGE);

      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).equals(Optional.of(QueueState.DEFERRED)));
      DeliveryStatus s = relay.status(qid);
      assertThat(s.recipients()).extracting(RecipientState::status)
          .containsExactly(Status.DELIVERED, Status.DEFERRED, Status.DELIVERED);
      assertThat(s.recipients().get(0).lastReply()).contains("250 2.0.0 discarded");
      assertThat(s.recipients().get(2).lastReply()).contains("250 2.0.0 discarded");
      assertThat(sink.received).isEmpty();
      assertThat(relay.data.resolve("maildir")).doesNotExist();

      sink.policy(a -> "250 2.1.5 ok");
      relay.clock.advance(Duration.ofMinutes(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.store.locate(qid).isEmpty());
      assertThat(sink.received).hasSize(1);
      assertThat(sink.received.get(0).recipients()).as("the discarded ones are not tried again")
          .containsExactly("x@remote.test");
    }
  }

  private static String transId(String mailLine) {
    return mailLine.substring(mailLine.indexOf("TRANSID="));
  }
}

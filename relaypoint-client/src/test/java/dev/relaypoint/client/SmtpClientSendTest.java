package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpClientSendTest {

  @TempDir
  Path tmp;

  @Test
  void sendsWithCheckpointAndReportsTheResult() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      byte[] message = Clients.message(50_000, 1);
      SendResult result = Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));

      assertThat(result.allAccepted()).isTrue();
      assertThat(result.queueId()).contains("Q1");
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(result.messageSize()).isEqualTo(message.length);
      assertThat(result.octetsSent()).isEqualTo(message.length);
      assertThat(result.octetsSkipped()).isZero();
      assertThat(result.transactionId()).hasValueSatisfying(t -> assertThat(t)
          .matches("<[0-9a-f]{32}@client\\.test>").doesNotContain("m1@client.test"));
      assertThat(server.deliveries).singleElement().satisfies(d -> {
        assertThat(d.data()).isEqualTo(message);
        assertThat(d.mailCommand()).isEqualTo("MAIL FROM:<alice@client.test> TRANSID=" + result.transactionId().get());
      });
      assertThat(Clients.onlyCrlf(server.transcripts.get(0).toByteArray())).isTrue();
      assertThat(server.commands).contains("EHLO client.test", "QUIT");
    }
  }

  @Test
  void plainServerGetsNoTransidAndPipelinedEnvelope() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()) {
      SendResult result = Clients.to(server.address()).build()
          .send(Envelope.of("a@client.test", "b@server.test", "c@server.test"), MessageSource.of(Clients.message(1000, 2)));
      assertThat(result.transactionId()).isEmpty();
      assertThat(server.commands).noneMatch(c -> c.contains("TRANSID"));
      String wire = server.transcripts.get(0).toString(StandardCharsets.ISO_8859_1);
      assertThat(wire).contains("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@server.test>\r\nRCPT TO:<c@server.test>\r\n");
    }
  }

  @Test
  void declaresSizeAnd8BitMimeWhenOffered() throws Exception {
    try (FakeSmtpServer server = new FakeSmtpServer(true, false, "SIZE 1000000")) {
      byte[] message = "Subject: caf\u00e9\r\n\r\n\u00e9t\u00e9\r\n".getBytes(StandardCharsets.UTF_8);
      Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(server.deliveries.get(0).mailCommand())
          .startsWith("MAIL FROM:<alice@client.test> SIZE=" + message.length + " BODY=8BITMIME TRANSID=<");
    }
  }

  @Test
  void refusesAMessageOverTheServersSizeLimitWithoutSendingIt() throws Exception {
    try (FakeSmtpServer server = new FakeSmtpServer(true, false, "SIZE 100")) {
      assertThatThrownBy(() -> Clients.to(server.address()).build()
          .send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 3))))
          .isInstanceOf(RejectedException.class).hasMessageContaining("SIZE");
      assertThat(server.commands).noneMatch(c -> c.startsWith("MAIL"));
    }
  }

  @Test
  void normalisesBareLineEndsInAFileBeforeStuffing() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      Path file = tmp.resolve("lf.eml");
      Files.write(file, "Subject: lf\n\nline\n.\n..x\rend".getBytes(StandardCharsets.US_ASCII));
      SendResult result = Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(file));
      String canonical = "Subject: lf\r\n\r\nline\r\n.\r\n..x\r\nend\r\n";
      assertThat(server.deliveries.get(0).data()).isEqualTo(canonical.getBytes(StandardCharsets.US_ASCII));
      assertThat(result.messageSize()).isEqualTo(canonical.length());
      assertThat(Clients.onlyCrlf(server.transcripts.get(0).toByteArray())).isTrue();
    }
  }

  @Test
  void envelopeWithCrOrLfIsRefusedBeforeConnecting() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      assertThatThrownBy(() -> Envelope.of("a@b.test\r\nRCPT TO:<x@evil.test>", "c@d.test"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR or LF");
      assertThatThrownBy(() -> Envelope.of("a@b.test", "c@d.test\nDATA"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR or LF");
      assertThatThrownBy(() -> Envelope.of("a@b.test", "not an address"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(server.connections()).isZero();
    }
  }

  @Test
  void reportsEachRecipientAndDeliversToTheAcceptedOnes() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      SendResult result = Clients.to(server.address()).build().send(
          Envelope.of("a@client.test", "ok@server.test", "reject@server.test"), MessageSource.of(Clients.message(500, 4)));
      assertThat(result.allAccepted()).isFalse();
      assertThat(result.recipients()).extracting(RecipientStatus::accepted).containsExactly(true, false);
      assertThat(result.recipients().get(1).reply().code()).isEqualTo(550);
      assertThat(server.deliveries.get(0).recipients()).containsExactly("ok@server.test");
    }
  }

  @Test
  void allRecipientsRefusedIsAPermanentRejection() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      assertThatThrownBy(() -> Clients.to(server.address()).build().send(
          Envelope.of("a@client.test", "reject@server.test"), MessageSource.of(Clients.message(500, 5))))
          .isInstanceOfSatisfying(RejectedException.class, e -> {
            assertThat(e.reply().code()).isEqualTo(550);
            assertThat(e.recipients()).hasSize(1);
          });
      assertThat(server.deliveries).isEmpty();
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void emptyMessageIsJustTheTerminator() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()) {
      SendResult result = Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(new byte[0]));
      assertThat(result.messageSize()).isZero();
      assertThat(server.deliveries.get(0).data()).isEmpty();
    }
  }
}

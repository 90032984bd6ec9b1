package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client STARTTLS against a scripted server, for what a real server would never do: plaintext
 * injected behind the 220 (CVE-2011-0411 turned on the client), 454, a hang-up instead of a handshake.
 */
class StartTlsClientTest {

  @TempDir
  static Path dir;

  private static TestCertificates certs;
  private static SSLContext serverTls;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.in(dir);
    serverTls = certs.jsseServer();
  }

  private static SmtpClient client(InetSocketAddress address, TlsPolicy tls, SendListener listener) {
    return Clients.to(address).destination(Destination.server(TestCertificates.HOST, 25)).tls(tls)
        .listener(listener).build();
  }

  private static TlsPolicy required() {
    return TlsPolicy.required().trusting(certs.certificate());
  }

  @Test
  void aReplyInjectedBehindThe220IsDroppedAndOnlyTheEhloInsideTlsCounts() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()
        .startTls(new FakeSmtpServer.StartTls("220 go\r\n250 injected\r\n", serverTls, true))) {
      byte[] message = Clients.message(30_000, 11);
      SendResult result = client(server.address(), required(), SendListener.NONE)
          .send(Clients.ENVELOPE, MessageSource.of(message));
      // Had the injected 250 been read as the reply to the second EHLO, CHECKPOINT (offered inside TLS
      // only) would be unknown, MAIL would carry no TRANSID, and every later reply would be one behind.
      assertThat(result.transactionId()).isPresent();
      assertThat(server.commands.subList(0, 5)).satisfiesExactly(
          c -> assertThat(c).isEqualTo("EHLO client.test"),
          c -> assertThat(c).isEqualTo("STARTTLS"),
          c -> assertThat(c).matches("-- TLS TLSv1\\.[23]"),
          c -> assertThat(c).as("the same EHLO name again").isEqualTo("EHLO client.test"),
          c -> assertThat(c).startsWith("MAIL FROM:<alice@client.test> TRANSID=<"));
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.deliveries).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(message));
    }
  }

  @Test
  void requiredFailsClosedOn454WithoutMailAndWithoutAPlaintextRetry() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()
        .startTls(new FakeSmtpServer.StartTls("454 4.7.0 TLS not available\r\n", serverTls, false))) {
      SmtpClient client = client(server.address(), required(), SendListener.NONE);
      assertThatThrownBy(() -> client.send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 12))))
          .isInstanceOf(GaveUpException.class)
          .hasMessageContaining("TLS required: STARTTLS answered 454 4.7.0 TLS not available");
      assertThat(server.commands).containsExactly("EHLO client.test", "STARTTLS", "QUIT");
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.deliveries).isEmpty();
    }
  }

  @Test
  void requiredFailsClosedWhenTheServerHangsUpInsteadOfTheHandshake() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()
        .startTls(new FakeSmtpServer.StartTls("220 go\r\n", null, false))) {
      SmtpClient client = client(server.address(), required(), SendListener.NONE);
      assertThatThrownBy(() -> client.send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 13))))
          .isInstanceOf(GaveUpException.class).hasMessageContaining("TLS required: TLS handshake");
      assertThat(server.commands).containsExactly("EHLO client.test", "STARTTLS");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void opportunisticGoesOnInPlaintextAfter454OnTheSameConnection() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()
        .startTls(new FakeSmtpServer.StartTls("454 4.7.0 TLS not available\r\n", serverTls, false))) {
      TlsRecorder events = new TlsRecorder();
      client(server.address(), TlsPolicy.opportunistic(), events)
          .send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 14)));
      assertThat(events.events).containsExactly("skipped: STARTTLS answered 454 4.7.0 TLS not available");
      assertThat(server.commands.subList(0, 3)).containsExactly("EHLO client.test", "STARTTLS",
          "MAIL FROM:<alice@client.test>");
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.deliveries).hasSize(1);
    }
  }

  @Test
  void opportunisticReconnectsInPlaintextAfterAFailedHandshake() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()
        .startTls(new FakeSmtpServer.StartTls("220 go\r\n", null, false))) {
      TlsRecorder events = new TlsRecorder();
      SendResult result = client(server.address(), TlsPolicy.opportunistic(), events)
          .send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 15)));
      assertThat(result.attempts()).as("the plaintext reconnect is part of the same attempt").isEqualTo(1);
      assertThat(server.connections()).isEqualTo(2);
      assertThat(events.events).singleElement().asString()
          .startsWith("skipped: TLS handshake with server.test failed").endsWith("reconnecting without TLS");
      assertThat(server.commands).containsSubsequence("STARTTLS", "EHLO client.test", "MAIL FROM:<alice@client.test>")
          .containsOnlyOnce("STARTTLS");
      assertThat(server.deliveries).hasSize(1);
    }
  }

  @Test
  void modeNoneNeverSendsStartTls() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.plain()
        .startTls(new FakeSmtpServer.StartTls("220 go\r\n", serverTls, false))) {
      client(server.address(), TlsPolicy.none(), SendListener.NONE)
          .send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 16)));
      assertThat(server.commands).doesNotContain("STARTTLS");
      assertThat(server.deliveries).hasSize(1);
    }
  }

  @Test
  void policyRulesAreCheckedWhenTheClientIsBuilt() {
    assertThatThrownBy(() -> new TlsPolicy(TlsMode.REQUIRED, java.util.Optional.of(certs.certificate()), true,
        false, java.util.Optional.empty())).hasMessageContaining("not both");
    assertThatThrownBy(() -> Clients.to(new InetSocketAddress(25))
        .tls(TlsPolicy.required().trusting(dir.resolve("missing.pem"))).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    assertThat(TlsPolicy.required().insecureTrustAllForLabUseOnly().verifyHostname()).isFalse();
    assertThat(TlsMode.parse("Required")).isEqualTo(TlsMode.REQUIRED);
    assertThatThrownBy(() -> TlsMode.parse("yes")).hasMessageContaining("none, opportunistic or required");
  }
}

package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.CutMode;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client STARTTLS (RFC 3207) against the real Relaypoint server with a self-signed certificate for
 * server.test, which the client trusts as a PEM file. The server records "ESMTPS" for mail that came
 * through TLS, so each test can see which way the message really travelled.
 */
class ClientStartTlsIT {

  @TempDir
  static Path dir;

  private static TestCertificates certs;

  @TempDir
  Path data;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.in(dir.resolve("tls"));
  }

  private RelaypointServer server(boolean tls) throws Exception {
    return server(tls, CheckpointPolicy.DEFAULT);
  }

  private RelaypointServer server(boolean tls, CheckpointPolicy policy) throws Exception {
    return new RelaypointServer(data.resolve("store"), true, tls ? Optional.of(certs.netty()) : Optional.empty(),
        policy);
  }

  /** A client that dials {@code address} but calls the server {@code name} (for SNI and the name check). */
  private static SmtpClient.Builder client(String name, InetSocketAddress address, TlsPolicy tls) {
    return Clients.to(address).destination(Destination.server(name, 25)).tls(tls);
  }

  private static TlsPolicy requiredTrustingServer() {
    return TlsPolicy.required().trusting(certs.certificate());
  }

  @Test
  void opportunisticUpgradesAndUsesCheckpointFromTheEhloInsideTls() throws Exception {
    try (RelaypointServer server = server(true)) {
      TlsRecorder events = new TlsRecorder();
      byte[] message = Clients.message(20_000, 5);
      SendResult result = Clients.to(server.address()).listener(events).build() // default: opportunistic
          .send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(events.events).singleElement().asString().matches("started TLSv1\\.[23]");
      assertThat(result.transactionId()).as("CHECKPOINT seen in the EHLO inside TLS").isPresent();
      assertThat(server.queuedProtocols()).containsExactly("ESMTPS");
      assertThat(server.takeQueued(1)).singleElement().isEqualTo(message);
    }
  }

  @Test
  void requiredSucceedsWithTheServersCertificateAndName() throws Exception {
    try (RelaypointServer server = server(true)) {
      byte[] message = Clients.message(5_000, 6);
      client(TestCertificates.HOST, server.address(), requiredTrustingServer()).build()
          .send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(server.queuedProtocols()).containsExactly("ESMTPS");
      assertThat(server.takeQueued(1)).singleElement().isEqualTo(message);
    }
  }

  @Test
  void requiredFailsClosedWhenTheServerDoesNotOfferStartTls() throws Exception {
    try (RelaypointServer server = server(false);
        FaultProxy proxy = FaultProxy.start(server.address())) {
      SmtpClient client = client(TestCertificates.HOST, proxy.address(), requiredTrustingServer()).build();
      assertThatThrownBy(() -> client.send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 7))))
          .isInstanceOf(GaveUpException.class)
          .hasMessageContaining("TLS required: the server does not offer STARTTLS")
          .satisfies(e -> assertThat(((GaveUpException) e).attempts()).isEqualTo(1));
      assertThat(proxy.connectionCount()).as("never retried, in plaintext or at all").isEqualTo(1);
      assertThat(server.takeQueued(0)).isEmpty();
    }
  }

  @Test
  void requiredFailsClosedWhenTheNameDoesNotMatchTheCertificate() throws Exception {
    try (RelaypointServer server = server(true);
        FaultProxy proxy = FaultProxy.start(server.address())) {
      SmtpClient client = client("other.test", proxy.address(), requiredTrustingServer()).build();
      assertThatThrownBy(() -> client.send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 8))))
          .isInstanceOf(GaveUpException.class)
          .hasMessageContaining("TLS required: TLS handshake with other.test failed")
          .hasRootCauseInstanceOf(java.security.cert.CertificateException.class)
          .cause().isInstanceOf(java.io.IOException.class).cause().isInstanceOf(SSLHandshakeException.class);
      assertThat(proxy.connectionCount()).as("no plaintext retry").isEqualTo(1);
      assertThat(server.takeQueued(0)).isEmpty();
      // The same server and trust with the right name succeeds: it was the name check that refused.
      client.toBuilder().tls(requiredTrustingServer().withServerName(TestCertificates.HOST)).build()
          .send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 8)));
      assertThat(server.queuedProtocols()).containsExactly("ESMTPS");
    }
  }

  @Test
  void requiredFailsClosedWhenTheCertificateIsNotTrusted() throws Exception {
    try (RelaypointServer server = server(true)) {
      // The JVM's CA store does not know a self-signed certificate.
      SmtpClient client = client(TestCertificates.HOST, server.address(), TlsPolicy.required()).build();
      assertThatThrownBy(() -> client.send(Clients.ENVELOPE, MessageSource.of(Clients.message(1000, 9))))
          .isInstanceOf(GaveUpException.class).hasMessageContaining("TLS required: TLS handshake");
      assertThat(server.takeQueued(0)).isEmpty();
    }
  }

  @Test
  void aTransferCutMidDataResumesInsideTlsAtTheServersOffset() throws Exception {
    // A checkpoint every 16 KiB, so the server's offset is well inside the message when the link is cut.
    CheckpointPolicy often = new CheckpointPolicy(16 * 1024, Duration.ofMillis(50), Duration.ofHours(1));
    try (RelaypointServer server = server(true, often);
        FaultProxy proxy = FaultProxy.start(server.address())) {
      byte[] message = Clients.message(400_000, 10);
      proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 250_000, CutMode.RST));
      TlsRecorder events = new TlsRecorder();
      SendResult result = client(TestCertificates.HOST, proxy.address(), requiredTrustingServer())
          .retryPolicy(new RetryPolicy(4, Duration.ofMillis(300), Duration.ofSeconds(1), 1.5))
          .listener(events).build()
          .send(Clients.ENVELOPE, MessageSource.of(message), "<00000000000000000000000000000001@client.test>");
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(events.events).hasSize(2).allMatch(e -> e.startsWith("started TLSv1."));
      assertThat(result.octetsSkipped()).as("resumed at the server's offset, not from 0").isPositive();
      assertThat(result.octetsSent() + result.octetsSkipped()).isGreaterThan(message.length);
      assertThat(server.queuedProtocols()).containsExactly("ESMTPS");
      List<byte[]> stored = server.takeQueued(1);
      assertThat(stored).singleElement().isEqualTo(message);
    }
  }
}

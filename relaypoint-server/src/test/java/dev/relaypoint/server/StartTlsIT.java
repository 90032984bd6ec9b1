package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import dev.relaypoint.testkit.TestTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STARTTLS (RFC 3207) and its command injection (CVE-2011-0411; SECURITY-TESTS.md §2.5, Wietse's
 * method): plaintext sent in the same write as STARTTLS must never run as if it came through TLS.
 */
class StartTlsIT {

  private static final SSLSocketFactory CLIENT = TestTls.trustingAll();

  @TempDir
  static Path dir;

  private static SslContext tls;
  private static RunningServer server;
  private static FaultProxy oneByteProxy;

  @BeforeAll
  static void start() throws IOException {
    tls = ServerTls.selfSigned(dir.resolve("tls"), "mx.test");
    server = RunningServer.start(dir.resolve("data"), b -> b.tls(tls), CheckpointPolicy.DEFAULT);
    oneByteProxy = FaultProxy.start(server.address());
  }

  @AfterAll
  static void stop() {
    oneByteProxy.close();
    server.close();
  }

  private static SmtpTestClient ehloed(InetSocketAddress address) throws IOException {
    SmtpTestClient c = SmtpTestClient.connect(address, Duration.ofSeconds(5));
    assertThat(c.readReply().code()).isEqualTo(220);
    assertThat(c.command("EHLO c.test").lines()).contains("STARTTLS");
    return c;
  }

  @ParameterizedTest(name = "injected: {0}")
  @ValueSource(strings = {"RSET", "MAIL FROM:<x@y.test>", "EHLO injected.test"})
  void plaintextPipelinedAfterStartTlsIsDiscarded(String injected) throws IOException {
    try (SmtpTestClient plain = ehloed(server.address())) {
      plain.sendRaw(("STARTTLS\r\n" + injected + "\r\n").getBytes(StandardCharsets.US_ASCII));
      Reply ready = plain.readReply();
      assertThat(ready.code()).isEqualTo(220);
      SmtpTestClient c = plain.startTls(CLIENT);
      Reply first = c.command("NOOP");
      assertThat(first.code()).isEqualTo(250);
      assertThat(first.text()).as("the first reply inside TLS is the one to NOOP").contains("Ok");
      assertThat(c.command("RCPT TO:<b@local.test>").code()).as("no MAIL was smuggled in").isEqualTo(503);
      c.close();
    }
  }

  @Test
  void injectionSplitIntoOneByteSegmentsIsDiscardedToo() throws IOException {
    oneByteProxy.enqueue(FaultPlan.builder().fragment(1).build());
    try (SmtpTestClient plain = ehloed(oneByteProxy.address())) {
      plain.sendRaw("STARTTLS\r\nMAIL FROM:<x@y.test>\r\n".getBytes(StandardCharsets.US_ASCII));
      Reply ready = plain.readReply();
      assertThat(ready.code()).isEqualTo(220);
      // Bytes that arrive after the server processed STARTTLS go to the TLS engine, which cannot take
      // them for a ClientHello: the handshake fails and the connection closes. Either way, nothing runs.
      // The close is a reset when our ClientHello is already in the server's socket buffer (on epoll the
      // server gets there first more often than on NIO).
      SmtpTestClient c;
      try {
        c = plain.startTls(CLIENT);
      } catch (SSLException | SocketException handshakeRefused) {
        return;
      }
      c.command("EHLO c.test");
      assertThat(c.command("RCPT TO:<b@local.test>").code()).isEqualTo(503);
      c.close();
    }
  }

  @Test
  void theSessionStartsOverAfterTheHandshake() throws IOException {
    try (SmtpTestClient plain = ehloed(server.address())) {
      assertThat(plain.command("STARTTLS").code()).isEqualTo(220);
      SmtpTestClient c = plain.startTls(CLIENT);
      assertThat(((SSLSocket) c.socket()).getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(c.command("MAIL FROM:<a@c.test>").code()).as("EHLO is forgotten").isEqualTo(503);
      Reply ehlo = c.command("EHLO c.test");
      assertThat(ehlo.lines()).doesNotContain("STARTTLS");
      assertThat(c.command("STARTTLS").code()).isEqualTo(503);
      assertThat(c.command("MAIL FROM:<a@c.test>").code()).isEqualTo(250);
      assertThat(c.command("RCPT TO:<b@local.test>").code()).isEqualTo(250);
      assertThat(c.command("DATA").code()).isEqualTo(354);
      c.sendRaw("Subject: over TLS\r\n\r\nhello\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.readReply().code()).isEqualTo(250);
      c.command("QUIT");
      c.close();
    }
  }

  @Test
  void startTlsIsRefusedInsideATransactionAndWithArguments() throws IOException {
    try (SmtpTestClient c = ehloed(server.address())) {
      assertThat(c.command("STARTTLS now").code()).isEqualTo(501);
      c.command("MAIL FROM:<a@c.test>");
      assertThat(c.command("STARTTLS").code()).isEqualTo(503);
    }
  }

  @Test
  void implicitTlsListenerGreetsInsideTls() throws IOException {
    try (RunningServer smtps = RunningServer.start(dir.resolve("smtps"), b -> b.tls(tls).implicitTls(true),
            CheckpointPolicy.DEFAULT);
        SmtpTestClient c = SmtpTestClient.connectTls(CLIENT, smtps.address(), Duration.ofSeconds(5))) {
      assertThat(c.readReply().code()).isEqualTo(220);
      Reply ehlo = c.command("EHLO c.test");
      assertThat(ehlo.lines()).doesNotContain("STARTTLS");
      assertThat(c.command("STARTTLS").code()).isEqualTo(500);
    }
  }

  @Test
  void withoutACertificateStartTlsIsNotOffered() throws IOException {
    try (RunningServer plainServer = RunningServer.start(dir.resolve("plain"));
        SmtpTestClient c = SmtpTestClient.connect(plainServer.address(), Duration.ofSeconds(5))) {
      c.readReply();
      assertThat(c.command("EHLO c.test").lines()).doesNotContain("STARTTLS");
      assertThat(c.command("STARTTLS").code()).isEqualTo(500);
    }
  }

  @Test
  void selfSignedCertificateIsKeptOwnerOnlyAndReused() throws IOException {
    Path certs = dir.resolve("tls");
    byte[] before = Files.readAllBytes(certs.resolve("selfsigned-cert.pem"));
    ServerTls.selfSigned(certs, "mx.test");
    assertThat(Files.readAllBytes(certs.resolve("selfsigned-cert.pem"))).isEqualTo(before);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("selfsigned-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(tls.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols())
        .containsOnly("TLSv1.3", "TLSv1.2");
  }
}

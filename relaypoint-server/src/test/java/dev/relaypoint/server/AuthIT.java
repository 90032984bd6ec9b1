package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import dev.relaypoint.testkit.TestTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTH PLAIN/LOGIN (RFC 4954) and its brute-force limits (SECURITY-TESTS.md §3.8). */
class AuthIT {

  @TempDir
  Path dir;

  private UserFile users;

  @BeforeEach
  void users() throws IOException {
    users = new UserFile(dir.resolve("users"), 4);
    users.put("alice", "correct horse".toCharArray());
    users.put("bob", "battery staple".toCharArray());
  }

  static String plain(String user, String password) {
    return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private RunningServer start(UnaryOperator<ServerConfig.Builder> config) throws IOException {
    return RunningServer.start(dir.resolve("data"), b -> config.apply(b.authenticator(users)), CheckpointPolicy.DEFAULT);
  }

  static SmtpTestClient ehloed(RunningServer server) throws IOException {
    SmtpTestClient c = SmtpTestClient.connect(server.address(), Duration.ofSeconds(5));
    c.readReply();
    c.command("EHLO c.test");
    return c;
  }

  @Test
  void offeredOnlyUnderTls() throws IOException {
    io.netty.handler.ssl.SslContext tls = ServerTls.selfSigned(dir.resolve("tls"), "mx.test");
    try (RunningServer server = start(b -> b.tls(tls));
        SmtpTestClient plainText = SmtpTestClient.connect(server.address(), Duration.ofSeconds(5))) {
      plainText.readReply();
      assertThat(plainText.command("EHLO c.test").lines()).noneMatch(l -> l.startsWith("AUTH"));
      assertThat(plainText.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).isEqualTo(538);
      assertThat(plainText.command("STARTTLS").code()).isEqualTo(220);
      SmtpTestClient c = plainText.startTls(TestTls.trustingAll());
      assertThat(c.command("EHLO c.test").lines()).contains("AUTH PLAIN LOGIN");
      assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).isEqualTo(235);
      assertThat(c.command("EHLO c.test").lines()).noneMatch(l -> l.startsWith("AUTH"));
      assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).as("AUTH twice").isEqualTo(503);
      c.close();
    }
  }

  @Test
  void unknownUserAndWrongPasswordLookTheSameAndTheThirdFailureCloses() throws IOException {
    try (RunningServer server = start(b -> b.authWithoutTls(true));
        SmtpTestClient c = ehloed(server)) {
      Reply wrongPassword = c.command("AUTH PLAIN " + plain("alice", "guess"));
      Reply unknownUser = c.command("AUTH PLAIN " + plain("mallory", "guess"));
      assertThat(wrongPassword.code()).isEqualTo(535);
      assertThat(unknownUser.lines()).isEqualTo(wrongPassword.lines());
      assertThat(c.command("AUTH PLAIN " + plain("bob", "x")).code()).isEqualTo(535);
      Reply closing = c.readReply();
      assertThat(closing.code()).isEqualTo(421);
      assertThat(closing.lines().get(0)).startsWith("4.7.0");
    }
  }

  @Test
  void loginMechanismAndMalformedExchanges() throws IOException {
    try (RunningServer server = start(b -> b.authWithoutTls(true).maxAuthFailures(10));
        SmtpTestClient c = ehloed(server)) {
      assertThat(c.command("AUTH CRAM-MD5").code()).isEqualTo(504);
      assertThat(c.command("AUTH PLAIN !!notbase64!!").code()).isEqualTo(501);
      assertThat(c.command("AUTH PLAIN").code()).isEqualTo(334);
      assertThat(c.command("*").code()).as("cancelled").isEqualTo(501);
      assertThat(c.command("AUTH PLAIN").code()).isEqualTo(334);
      assertThat(c.command("x".repeat(10_000)).code()).as("a long response is read, not a crash").isEqualTo(501);
      Reply user = c.command("AUTH LOGIN");
      assertThat(user.code()).isEqualTo(334);
      assertThat(user.lines()).containsExactly("VXNlcm5hbWU6");
      assertThat(c.command(b64("bob")).code()).isEqualTo(334);
      assertThat(c.command(b64("battery staple")).code()).isEqualTo(235);
      assertThat(c.command("MAIL FROM:<bob@c.test>").code()).isEqualTo(250);
      assertThat(c.command("AUTH PLAIN " + plain("bob", "battery staple")).code()).isEqualTo(503);
    }
  }

  @Test
  void authenticatedUsersMayRelayAndSubmissionRequiresAuth() throws IOException {
    try (RunningServer server = start(b -> b.authWithoutTls(true).requireAuth(true));
        SmtpTestClient c = ehloed(server)) {
      assertThat(c.command("MAIL FROM:<alice@c.test>").code()).isEqualTo(530);
      assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).isEqualTo(235);
      assertThat(c.command("MAIL FROM:<alice@c.test>").code()).isEqualTo(250);
      assertThat(c.command("RCPT TO:<friend@elsewhere.example>").code()).isEqualTo(250);
    }
    try (RunningServer server = start(b -> b.authWithoutTls(true));
        SmtpTestClient c = ehloed(server)) {
      c.command("MAIL FROM:<alice@c.test>");
      // Not trusted (RunningServer trusts no network) and not authenticated: 554 5.7.1, as for the relay branch.
      assertThat(c.command("RCPT TO:<friend@elsewhere.example>").code()).as("unauthenticated").isEqualTo(554);
    }
    try (RunningServer server = start(b -> b.authWithoutTls(true));
        SmtpTestClient c = ehloed(server)) {
      assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).isEqualTo(235);
      c.command("MAIL FROM:<alice@c.test>");
      // AUTH opens relaying only: local-part tricks and address literals stay refused.
      assertThat(c.command("RCPT TO:<b%elsewhere.example@local.test>").code()).as("percent hack").isEqualTo(550);
      assertThat(c.command("RCPT TO:<friend@[192.0.2.1]>").code()).as("address literal").isEqualTo(554);
    }
  }

  /** A mutable clock for the per-address backoff. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-01T00:00:00Z"); // the store reads it on its threads

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void repeatedFailuresFromOneAddressBackOffAcrossConnections() throws IOException {
    TestClock clock = new TestClock();
    try (RunningServer server = RunningServer.start(dir.resolve("data"),
        b -> b.authenticator(users).authWithoutTls(true).maxAuthFailures(100), CheckpointPolicy.DEFAULT, clock)) {
      try (SmtpTestClient c = ehloed(server)) {
        for (int i = 0; i < 5; i++) {
          assertThat(c.command("AUTH PLAIN " + plain("alice", "guess" + i)).code()).isEqualTo(535);
        }
        assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).isEqualTo(454);
      }
      try (SmtpTestClient c = ehloed(server)) {
        assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code())
            .as("a new connection from the same address").isEqualTo(454);
        clock.now = clock.now.plusSeconds(3);
        assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse")).code()).isEqualTo(235);
      }
    }
  }
}

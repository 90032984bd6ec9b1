package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay authorization: only clients in a trusted network may send to non-local domains. The server
 * trusts 127.0.0.2/32 only; the untrusted client connects from 127.0.0.1, the trusted one from
 * 127.0.0.2 (all of 127/8 is loopback on Linux).
 */
class RelayAuthorizationIT {

  private static final InetSocketAddress TRUSTED = new InetSocketAddress("127.0.0.2", 0);
  private static final InetSocketAddress UNTRUSTED = new InetSocketAddress("127.0.0.1", 0);

  @TempDir Path dir;

  private RunningServer start() throws Exception {
    return RunningServer.start(dir, b -> b.trustedNetworks(List.of(Cidr.parse("127.0.0.2/32"))),
        CheckpointPolicy.DEFAULT);
  }

  private static Reply rcpt(SmtpTestClient c, String address) throws Exception {
    return c.command("RCPT TO:<" + address + ">");
  }

  private static SmtpTestClient session(RunningServer server, InetSocketAddress from) throws Exception {
    SmtpTestClient c = SmtpTestClient.connectFrom(from, server.address(), Duration.ofSeconds(5));
    assertThat(c.readReply().code()).isEqualTo(220);
    assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
    assertThat(c.command("MAIL FROM:<a@local.test>").code()).isEqualTo(250);
    return c;
  }

  @Test
  void untrustedClientGets554ForEveryNonLocalDomainButStillReachesLocalMailboxes() throws Exception {
    try (RunningServer server = start(); SmtpTestClient c = session(server, UNTRUSTED)) {
      for (String a : List.of("b@elsewhere.example", "b@ELSEWHERE.example.", "\"b\"@elsewhere.example",
          "b%local.test@elsewhere.example", "@local.test:b@elsewhere.example", "b@[192.0.2.1]")) {
        Reply r = rcpt(c, a);
        assertThat(r.code()).as(a).isEqualTo(554);
        assertThat(r.toString()).as(a).contains("5.7.1");
      }
      for (String a : List.of("b%elsewhere.example@local.test", "elsewhere.example!b@local.test",
          "\"b@elsewhere.example\"@local.test")) {
        assertThat(rcpt(c, a).code()).as(a).isEqualTo(550);
      }
      assertThat(rcpt(c, "b@local.test").code()).isEqualTo(250);
    }
  }

  @Test
  void trustedClientRelaysWithTheLocalPartAsSent() throws Exception {
    try (RunningServer server = start(); SmtpTestClient c = session(server, TRUSTED)) {
      assertThat(rcpt(c, "Bob.Smith@Elsewhere.Example").code()).isEqualTo(250);
      assertThat(rcpt(c, "@relay.test:carol@far.example").code()).isEqualTo(250);
      assertThat(rcpt(c, "dave@[192.0.2.1]").code()).isEqualTo(554);
      assertThat(rcpt(c, "b%elsewhere.example@local.test").code()).isEqualTo(550);
      assertThat(c.command("DATA").code()).isEqualTo(354);
      c.sendRaw("Subject: relay\r\n\r\nhello\r\n.\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(c.readReply().code()).isEqualTo(250);
      String qid = server.queueIds().get(0);
      assertThat(server.envelope(qid).recipients())
          .containsExactly("Bob.Smith@elsewhere.example", "carol@far.example");
    }
  }

  @Test
  void defaultTrustsLoopbackOnly() {
    ServerConfig d = ServerConfig.newBuilder().build();
    assertThat(d.isTrusted("127.0.0.1")).isTrue();
    assertThat(d.isTrusted("127.45.0.9")).isTrue();
    assertThat(d.isTrusted("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(d.isTrusted("192.0.2.1")).isFalse();
    assertThat(d.isTrusted("::2")).isFalse();
    assertThat(d.isTrusted("not-an-ip")).isFalse();
    assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    assertThat(Cidr.parse("2001:db8::1/32").contains("2001:db8:ffff::1")).isTrue();
  }
}

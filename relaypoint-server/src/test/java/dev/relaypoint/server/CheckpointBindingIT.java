package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import dev.relaypoint.testkit.TestMessages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored transaction belongs to the client that made it: (EHLO name, TRANSID) as RFC 1845 says, plus
 * the client address and the exact MAIL command. Anyone else is treated as a stranger to it (a fresh
 * 250), and nothing they do (RSET, QUIT, their own DATA) touches the stored state (SECURITY-TESTS A1-A4).
 */
class CheckpointBindingIT {

  private static final String EHLO = "EHLO owner.client.test";
  private static final String MAIL = "MAIL FROM:<owner@client.test> TRANSID=<bound.1@client.test>";
  private static final InetSocketAddress OWNER = new InetSocketAddress("127.0.0.1", 0);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.2", 0);

  @TempDir
  Path dir;

  @Test
  void onlyTheOwnerResumes() throws Exception {
    byte[] message = TestMessages.generate(500_000, 9);
    try (RunningServer server = RunningServer.start(dir)) {
      try (SmtpTestClient c = connect(server, OWNER)) {
        assertThat(c.command(MAIL).code()).isEqualTo(250);
        c.command("RCPT TO:<b@local.test>");
        assertThat(c.command("DATA").code()).isEqualTo(354);
        c.sendRaw(TestMessages.dotStuff(Arrays.copyOf(message, 300_000)));
        c.abort();
      }
      long offset = offsetSeenByOwner(server);
      assertThat(offset).isPositive();

      try (SmtpTestClient c = connect(server, STRANGER)) {
        assertThat(c.command(MAIL).code()).as("another client address").isEqualTo(250);
        assertThat(c.command("RCPT TO:<b@local.test>").code()).isEqualTo(250);
        assertThat(c.command("DATA").code()).isEqualTo(354);
        c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.readReply().code()).as("the stranger's own, separate message").isEqualTo(250);
        c.command("RSET");
        c.command("QUIT");
      }
      try (SmtpTestClient c = connect(server, OWNER)) {
        Reply r = c.command("MAIL FROM:<other@client.test> TRANSID=<bound.1@client.test>");
        assertThat(r.code()).as("another reverse-path is another transaction").isEqualTo(250);
        c.command("QUIT");
      }
      try (SmtpTestClient c = connect(server, OWNER)) {
        assertThat(c.command(MAIL + " SIZE=500000").code()).as("other MAIL parameters too").isEqualTo(250);
        c.command("QUIT");
      }
      assertThat(offsetSeenByOwner(server)).as("the stored state is untouched").isEqualTo(offset);
      assertThat(server.awaitQueueIds(1)).hasSize(1);
    }
  }

  /** A5: a live session is never pre-empted; a second one with the same key gets 451 4.3.0. */
  @Test
  void aSecondSessionCannotTakeOverALiveTransfer() throws Exception {
    byte[] message = TestMessages.generate(200_000, 11);
    try (RunningServer server = RunningServer.start(dir);
        SmtpTestClient first = connect(server, OWNER)) {
      assertThat(first.command(MAIL).code()).isEqualTo(250);
      first.command("RCPT TO:<b@local.test>");
      assertThat(first.command("DATA").code()).isEqualTo(354);
      byte[] stuffed = TestMessages.dotStuff(message);
      first.sendRaw(Arrays.copyOf(stuffed, 100_000));
      try (SmtpTestClient second = connect(server, OWNER)) {
        Reply r = second.command(MAIL);
        assertThat(r.code()).as("the key is held by a live session").isEqualTo(451);
        assertThat(r.lines().get(0)).startsWith("4.3.0");
      }
      first.sendRaw(Arrays.copyOfRange(stuffed, 100_000, stuffed.length));
      first.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(first.readReply().code()).as("the first session completes undisturbed").isEqualTo(250);
      assertThat(server.awaitQueueIds(1)).hasSize(1);
    }
  }

  /** C17: a transaction started under AUTH is unknown to an unauthenticated client and to another user. */
  @Test
  void aTransactionStartedUnderAuthIsBoundToThatIdentity() throws Exception {
    UserFile users = new UserFile(dir.resolve("users"), 4);
    users.put("alice", "pw-alice".toCharArray());
    users.put("bob", "pw-bob".toCharArray());
    try (RunningServer server = RunningServer.start(dir.resolve("data"),
        b -> b.authenticator(users).authWithoutTls(true), dev.relaypoint.store.CheckpointPolicy.DEFAULT)) {
      try (SmtpTestClient c = connect(server, OWNER)) {
        assertThat(c.command("AUTH PLAIN " + AuthIT.plain("alice", "pw-alice")).code()).isEqualTo(235);
        assertThat(c.command(MAIL).code()).isEqualTo(250);
        c.command("RCPT TO:<b@local.test>");
        assertThat(c.command("DATA").code()).isEqualTo(354);
        c.sendRaw(TestMessages.dotStuff(TestMessages.generate(200_000, 3)));
        c.abort();
      }
      Thread.sleep(300); // the server notices the reset and checkpoints
      try (SmtpTestClient c = connect(server, OWNER)) {
        assertThat(c.command(MAIL).code()).as("unauthenticated").isEqualTo(250);
        c.abort();
      }
      try (SmtpTestClient c = connect(server, OWNER)) {
        c.command("AUTH PLAIN " + AuthIT.plain("bob", "pw-bob"));
        assertThat(c.command(MAIL).code()).as("another identity").isEqualTo(250);
        c.abort();
      }
      try (SmtpTestClient c = connect(server, OWNER)) {
        c.command("AUTH PLAIN " + AuthIT.plain("alice", "pw-alice"));
        assertThat(c.command(MAIL).code()).as("the owner").isEqualTo(355);
        c.abort();
      }
    }
  }

  private static SmtpTestClient connect(RunningServer server, InetSocketAddress from) throws IOException {
    SmtpTestClient c = SmtpTestClient.connectFrom(from, server.address(), Duration.ofSeconds(5));
    assertThat(c.readReply().code()).isEqualTo(220);
    assertThat(c.command(EHLO).code()).isEqualTo(250);
    return c;
  }

  /** Asks as the owner and leaves without QUIT (which would delete the state). */
  private static long offsetSeenByOwner(RunningServer server) throws IOException {
    try (SmtpTestClient c = connect(server, OWNER)) {
      Reply r = c.command(MAIL);
      assertThat(r.code()).isEqualTo(355);
      c.abort();
      return Long.parseLong(r.lines().get(0).split(" ")[0]);
    }
  }
}

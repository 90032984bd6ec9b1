package dev.relaypoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import dev.relaypoint.testkit.TestMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 1845 across a real process crash (SECURITY-TESTS.md §6.3): the server is SIGKILLed while a message is
 * being received, restarted on the same data directory, and the client resumes with the same EHLO name and
 * TRANSID. The offset must be durable and line-aligned, and the message must arrive once, byte-identical.
 */
class CrashRestartIT {

  private static final String EHLO = "EHLO client.test";
  private static final String SENDER = "MAIL FROM:<sender@client.test> TRANSID=<%s@client.test>";
  private static final Pattern RESTART = Pattern.compile("(\\d+) .*");
  private static final int MESSAGE_SIZE = 4 << 20;
  /** Octets sent before the crash; deliberately not at a line start. */
  private static final int FIRST_PART = (3 << 20) + 37;
  /** No time-based checkpoints: which path a small message takes must not depend on a cold JVM. */
  private static final String[] BY_SIZE_ONLY = {"--checkpoint-bytes", "64K", "--checkpoint-interval", "0s"};

  @TempDir
  Path data;

  @Test
  void killedMidDataResumesFromADurableLineStartAndDeliversOnce() throws Exception {
    byte[] message = TestMessages.generate(MESSAGE_SIZE, 1845);
    assertThat(isLineStart(message, FIRST_PART)).as("the crash should come in the middle of a line").isFalse();

    try (ServerProcess server = serve(); SmtpTestClient client = openData(server, "mid-data")) {
      client.sendRaw(TestMessages.dotStuff(Arrays.copyOf(message, FIRST_PART)));
      awaitCheckpoint();
      server.kill();
      client.abort();
    }

    try (ServerProcess server = serve(); SmtpTestClient client = connect(server)) {
      long offset = restartOffset(client, "mid-data");

      assertThat(offset).as("355 offset").isPositive().isLessThanOrEqualTo(FIRST_PART);
      assertThat(isLineStart(message, offset)).as("offset %d is at a line start", offset).isTrue();
      assertThat(client.command("RCPT TO:<u@local.test>").code()).as("RCPT after 355").isEqualTo(503);
      Reply data = client.command("DATA");
      assertThat(data.code()).isEqualTo(354);
      assertThat(data.lastLine()).contains(String.valueOf(offset));
      client.sendRaw(TestMessages.dotStuff(message, (int) offset));
      assertThat(client.command(".").code()).isEqualTo(250);
      assertThat(client.command("QUIT").code()).isEqualTo(221);
      assertDeliveredOnce(message);
    }
  }

  /**
   * The final "." is sent and the server is killed before the client reads the reply; depending on the
   * delay the commit happened or not. Either way a restart must finish the message, exactly once.
   */
  @ParameterizedTest(name = "kill {0} ms after the final dot")
  @ValueSource(ints = {0, 5, 50, 500})
  void killedAfterFinalDotResumesWithoutDuplicate(int delayMillis) throws Exception {
    byte[] message = TestMessages.generate(MESSAGE_SIZE, 1846 + delayMillis);
    String id = "after-dot-" + delayMillis;

    try (ServerProcess server = serve(); SmtpTestClient client = openData(server, id)) {
      client.sendRaw(TestMessages.dotStuff(Arrays.copyOf(message, FIRST_PART)));
      awaitCheckpoint();
      byte[] rest = TestMessages.dotStuff(message, FIRST_PART);
      byte[] restAndDot = Arrays.copyOf(rest, rest.length + 3);
      restAndDot[rest.length] = '.';
      restAndDot[rest.length + 1] = '\r';
      restAndDot[rest.length + 2] = '\n';
      client.sendRaw(restAndDot);
      Thread.sleep(delayMillis);
      server.kill();
      client.abort();
    }

    try (ServerProcess server = serve(); SmtpTestClient client = connect(server)) {
      long offset = restartOffset(client, id);

      assertThat(offset).as("355 offset").isPositive().isLessThanOrEqualTo(message.length);
      assertThat(isLineStart(message, offset)).as("offset %d is at a line start", offset).isTrue();
      Reply data = client.command("DATA");
      assertThat(data.code()).isEqualTo(354);
      assertThat(data.lastLine()).contains(String.valueOf(offset));
      client.sendRaw(TestMessages.dotStuff(message, (int) offset));
      Reply done = client.command(".");
      assertThat(done.code()).as("reply to the final dot: %s", done).isEqualTo(250);
      assertThat(done.lastLine()).contains("queued as");
      assertThat(client.command("QUIT").code()).isEqualTo(221);
      assertDeliveredOnce(message);
    }
  }

  /**
   * SIGTERM mid-DATA: the only checkpoint policy that could fire is far away (1 GiB, 1 h), so a positive
   * offset after the restart proves the clean stop saved the transfer ("transfers in progress stay resumable").
   */
  @Test
  void sigtermMidDataLeavesTheTransferResumable() throws Exception {
    byte[] message = TestMessages.generate(MESSAGE_SIZE, 1847);
    String[] noTimelyCheckpoint = {"--checkpoint-bytes", "1G", "--checkpoint-interval", "1h"};

    try (ServerProcess server = serve(noTimelyCheckpoint); SmtpTestClient client = openData(server, "sigterm")) {
      client.sendRaw(TestMessages.dotStuff(Arrays.copyOf(message, FIRST_PART)));
      Thread.sleep(500);
      assertThat(server.stop(Duration.ofSeconds(15))).as("exit code after SIGTERM").isIn(0, 143);
      client.abort();
    }

    try (ServerProcess server = serve(noTimelyCheckpoint); SmtpTestClient client = connect(server)) {
      long offset = restartOffset(client, "sigterm");

      assertThat(offset).as("355 offset").isPositive().isLessThanOrEqualTo(FIRST_PART);
      assertThat(isLineStart(message, offset)).as("offset %d is at a line start", offset).isTrue();
      assertThat(client.command("DATA").code()).isEqualTo(354);
      client.sendRaw(TestMessages.dotStuff(message, (int) offset));
      assertThat(client.command(".").code()).isEqualTo(250);
      assertThat(client.command("QUIT").code()).isEqualTo(221);
      assertDeliveredOnce(message);
    }
  }

  /**
   * SIGKILL right after the 250: delivery may or may not have run. After the restart the message is
   * delivered exactly once, and asking again with the TRANSID gets 355 with the total and the same queue id.
   */
  @ParameterizedTest(name = "{0} octets")
  @ValueSource(ints = {1 << 20, 20_000}) // checkpointed, and committed before its first checkpoint
  void killedRightAfterTheReplyDeliversExactlyOnce(int size) throws Exception {
    byte[] message = TestMessages.generate(size, 1848);
    String id = "after-250-" + size;
    String queued;

    try (ServerProcess server = serve(BY_SIZE_ONLY); SmtpTestClient client = openData(server, id)) {
      client.sendRaw(TestMessages.dotStuff(message));
      Reply done = client.command(".");
      server.kill();
      client.abort();
      assertThat(done.code()).as("reply to the final dot: %s", done).isEqualTo(250);
      queued = queueId(done);
    }

    try (ServerProcess server = serve()) {
      resendFinalDot(server, id, message.length, queued);
      assertDeliveredOnce(message);
    }
  }

  /**
   * A small message is delivered before its client comes back for the lost 250; its queue file waits
   * in queue/done/ as the record of the completion, and must survive a SIGKILL as that.
   */
  @Test
  void deliveredWhileTheClientWasAwayThenKilledStillAnswersTheResend() throws Exception {
    byte[] message = TestMessages.generate(20_000, 1849);
    String queued;

    try (ServerProcess server = serve(BY_SIZE_ONLY); SmtpTestClient client = openData(server, "done-then-kill")) {
      client.sendRaw(TestMessages.dotStuff(message));
      Reply done = client.command(".");
      assertThat(done.code()).as("reply to the final dot: %s", done).isEqualTo(250);
      queued = queueId(done);
      client.abort(); // as if the 250 never arrived: no QUIT, no next command
      assertDeliveredOnce(message);
      await().atMost(Duration.ofSeconds(10)).until(() -> !isEmpty(data.resolve("queue").resolve("done")));
      assertThat(journalExists()).as("no checkpoint was taken: the queue file is the only record").isFalse();
      server.kill();
    }

    try (ServerProcess server = serve()) {
      resendFinalDot(server, "done-then-kill", message.length, queued);
      assertThat(isEmpty(data.resolve("queue").resolve("done"))).as("forgotten after QUIT").isTrue();
      assertDeliveredOnce(message);
    }
  }

  /** The lost-reply resend: 355 with the total, DATA, the final dot, 250 with the same queue id. */
  private static void resendFinalDot(ServerProcess server, String transId, long size, String queued)
      throws IOException {
    try (SmtpTestClient client = connect(server)) {
      assertThat(restartOffset(client, transId)).isEqualTo(size);
      assertThat(client.command("DATA").code()).isEqualTo(354);
      Reply again = client.command(".");
      assertThat(again.code()).as("reply to the repeated final dot: %s", again).isEqualTo(250);
      assertThat(queueId(again)).as("queue id of the repeated reply").isEqualTo(queued);
      assertThat(client.command("QUIT").code()).isEqualTo(221);
    }
  }

  private static String queueId(Reply reply) {
    Matcher m = Pattern.compile("queued as (\\S+)").matcher(reply.lastLine());
    assertThat(m.find()).as("queue id in %s", reply).isTrue();
    return m.group(1);
  }

  private ServerProcess serve(String... policy) throws IOException {
    String[] base = {"--domain", "local.test", "--max-message-size", "64M"};
    String[] args = policy.length > 0 ? policy : new String[] {"--checkpoint-bytes", "64K", "--checkpoint-interval", "100ms"};
    String[] all = Arrays.copyOf(base, base.length + args.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    return ServerProcess.serve(data, all);
  }

  private static SmtpTestClient connect(ServerProcess server) throws IOException {
    SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", server.port());
    assertThat(client.readReply().code()).isEqualTo(220);
    Reply ehlo = client.command(EHLO);
    assertThat(ehlo.code()).isEqualTo(250);
    assertThat(ehlo.lines()).contains("CHECKPOINT");
    return client;
  }

  /** A fresh checkpointed transaction, up to the 354 after DATA. */
  private static SmtpTestClient openData(ServerProcess server, String transId) throws IOException {
    SmtpTestClient client = connect(server);
    assertThat(client.command(String.format(SENDER, transId)).code()).isEqualTo(250);
    assertThat(client.command("RCPT TO:<u@local.test>").code()).isEqualTo(250);
    assertThat(client.command("DATA").code()).isEqualTo(354);
    return client;
  }

  /** MAIL with the same TRANSID after the restart; the reply must be {@code 355 <offset>}. */
  private static long restartOffset(SmtpTestClient client, String transId) throws IOException {
    Reply reply = client.command(String.format(SENDER, transId));
    assertThat(reply.code()).as("reply to MAIL with the interrupted TRANSID: %s", reply).isEqualTo(355);
    Matcher m = RESTART.matcher(reply.lastLine());
    assertThat(m.matches()).as("355 text starts with the offset: %s", reply).isTrue();
    long offset = Long.parseLong(m.group(1));
    System.out.printf("TRANSID %s: restart offset %d%n", transId, offset); // shows which path a run took
    return offset;
  }

  /** Waits until the transaction has a checkpoint journal, then long enough for more interval checkpoints. */
  private void awaitCheckpoint() throws InterruptedException {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(this::journalExists);
    Thread.sleep(500);
  }

  private boolean journalExists() throws IOException {
    Path checkpoints = data.resolve("checkpoints");
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    try (Stream<Path> dirs = Files.list(checkpoints)) {
      return dirs.anyMatch(d -> Files.isRegularFile(d.resolve("journal")));
    }
  }

  /**
   * Exactly one copy in the Maildir once the (still running) server has emptied its queue, byte-identical
   * to what the client sent.
   */
  private void assertDeliveredOnce(byte[] message) throws IOException {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> isEmpty(data.resolve("queue").resolve("incoming")));
    byte[] delivered = DeliveredMail.single(data, "u", "local.test");
    assertThat(delivered.length).as("delivered size").isEqualTo(message.length);
    assertThat(TestMessages.sha256(delivered)).as("SHA-256 of the delivered message")
        .isEqualTo(TestMessages.sha256(message));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static boolean isLineStart(byte[] message, long offset) {
    int i = (int) offset;
    return i == 0 || i == message.length || (message[i - 2] == '\r' && message[i - 1] == '\n');
  }
}

package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.CutMode;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.TestMessages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts real connections at exact byte offsets (inside lines, inside the CRLF.CRLF terminator, after the
 * final dot) and resumes each transfer: every message must arrive byte-identical and exactly once.
 */
class CheckpointFaultIT {

  private static final int MESSAGE_SIZE = 300_000;

  @TempDir
  Path dir;

  private RunningServer server;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws Exception {
    CheckpointPolicy policy = new CheckpointPolicy(16 * 1024, Duration.ofMillis(50), Duration.ofHours(48));
    server = RunningServer.start(dir, b -> b, policy);
    proxy = FaultProxy.start(server.address());
  }

  @AfterEach
  void stop() {
    proxy.close();
    server.close();
  }

  @Test
  void randomCutsClientToServerResumeToIdenticalSingleCopies() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Long> cuts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ResumingSender sender = sender(i, seed);
      int dataStart = sender.commandsBeforeData().length;
      int terminatorEnd = sender.wholeSession().length - "QUIT\r\n".length();
      long cut = switch (i % 4) {
        case 0 -> dataStart + random.nextInt(terminatorEnd - dataStart); // anywhere in the data
        case 1 -> terminatorEnd - 1 - random.nextInt(5); // inside CRLF.CRLF
        case 2 -> random.nextInt(dataStart); // during the envelope
        default -> dataStart + MESSAGE_SIZE / 2 + random.nextInt(MESSAGE_SIZE / 2); // late, after checkpoints
      };
      cuts.add(cut);
      CutMode mode = random.nextBoolean() ? CutMode.FIN : CutMode.RST;
      runOnce(sender, FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, cut, mode), "seed " + seed + " cut " + cut + " " + mode);
    }
    assertThat(server.queueIds()).hasSize(24);
  }

  @Test
  void lostFinalReplyIsAnsweredWithTheSameQueueIdAndNoSecondCopy() throws Exception {
    for (int i = 0; i < 4; i++) {
      ResumingSender sender = sender(100 + i, i);
      int before = server.queueIds().size();
      // Let everything through to the server but never forward its reply to the final dot.
      long repliesBefore250 = bytesOfRepliesUpToData(sender);
      int connection = proxy.connectionCount();
      proxy.enqueue(FaultPlan.stallAt(Direction.SERVER_TO_CLIENT, repliesBefore250));
      Thread attempt = new Thread(() -> sender.attemptThatMayBreak(proxy.address()));
      attempt.start();
      awaitQueued(before + 1);
      proxy.awaitConnection(connection, Duration.ofSeconds(5)).abort(CutMode.RST);
      attempt.join(10_000);

      Reply done = sender.resume(server.address());
      assertThat(done.code()).isEqualTo(250);
      List<String> ids = server.queueIds();
      assertThat(ids).hasSize(before + 1);
      assertThat(done.lastLine()).endsWith("queued as " + ids.get(ids.size() - 1));
      assertThat(TestMessages.sha256(server.read(ids.get(ids.size() - 1)))).isEqualTo(TestMessages.sha256(sender.message));
    }
  }

  private long bytesOfRepliesUpToData(ResumingSender sender) {
    // greeting + EHLO reply + 250 MAIL + 250 RCPT + 354, as this server words them
    String greeting = "220 mx.test ESMTP Relaypoint\r\n";
    String ehlo = "250-mx.test greets " + sender.ehlo + "\r\n250-PIPELINING\r\n250-SIZE 67108864\r\n250-8BITMIME\r\n"
        + "250-ENHANCEDSTATUSCODES\r\n250 CHECKPOINT\r\n";
    String mail = "250 2.1.0 Sender and TRANSID ok\r\n";
    String rcpt = "250 2.1.5 Recipient ok\r\n";
    String data = "354 End data with <CR><LF>.<CR><LF>\r\n";
    return (greeting + ehlo + mail + rcpt + data).length();
  }

  private void runOnce(ResumingSender sender, FaultPlan plan, String what) throws Exception {
    int before = server.queueIds().size();
    proxy.enqueue(plan);
    sender.attemptThatMayBreak(proxy.address());
    assertThat(proxy.awaitCut(Duration.ofSeconds(10))).as(what).isTrue();
    Reply done = sender.resume(server.address());
    assertThat(done.code()).as(what).isEqualTo(250);
    List<String> ids = server.awaitQueueIds(before + 1);
    assertThat(ids).as(what + ": exactly one new copy").hasSize(before + 1);
    String newest = ids.stream().filter(id -> done.lastLine().endsWith(id)).findFirst().orElseThrow();
    assertThat(TestMessages.sha256(server.read(newest))).as(what).isEqualTo(TestMessages.sha256(sender.message));
  }

  private void awaitQueued(int count) throws InterruptedException {
    assertThat(server.awaitQueueIds(count)).hasSize(count);
  }

  private static ResumingSender sender(int i, long seed) {
    return new ResumingSender("client" + (i % 3) + ".test", "<t" + i + "." + seed + "@client.test>",
        TestMessages.generate(MESSAGE_SIZE, seed + i));
  }
}

package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.store.CheckpointUsage.DiskSpace;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import dev.relaypoint.testkit.TestMessages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas on open checkpoints (SECURITY-TESTS.md §4 A6, C11, C16): per client count and bytes, a global
 * cap, a free-space floor, and a shorter retention for unauthenticated clients. New checkpointed
 * transactions get 452 4.3.1; resumes always go through; plain mail is not affected.
 */
class CheckpointQuotaIT {

  private static final InetSocketAddress ONE = new InetSocketAddress("127.0.0.1", 0);
  private static final InetSocketAddress TWO = new InetSocketAddress("127.0.0.2", 0);
  private static final long GIB = 1L << 30;

  @TempDir
  Path dir;

  private RunningServer start(UnaryOperator<CheckpointQuotas.Builder> quotas) throws IOException {
    return start(quotas, b -> b, Clock.systemUTC());
  }

  private RunningServer start(UnaryOperator<CheckpointQuotas.Builder> quotas,
      UnaryOperator<FileStoreConfig.Builder> store, Clock clock) throws IOException {
    return RunningServer.start(dir.resolve("data"),
        b -> b.checkpointQuotas(quotas.apply(CheckpointQuotas.newBuilder()).build()), store, clock);
  }

  private static SmtpTestClient greeted(RunningServer server, InetSocketAddress from) throws IOException {
    SmtpTestClient c = SmtpTestClient.connectFrom(from, server.address(), Duration.ofSeconds(5));
    assertThat(c.readReply().code()).isEqualTo(220);
    return c;
  }

  private static String mail(String transid) {
    return "MAIL FROM:<a@client.test> TRANSID=<" + transid + "@client.test>";
  }

  private static byte[] message(int size) {
    return TestMessages.generate(size, size);
  }

  /**
   * Sends {@code size} octets of a checkpointed message, breaks the connection once the server has them
   * all (an abort drops what is still unsent), and waits until the checkpoint is stored.
   */
  private static void interrupted(RunningServer server, InetSocketAddress from, String transid, int size,
      String... setup) throws IOException {
    try (SmtpTestClient c = greeted(server, from)) {
      c.command("EHLO client.test");
      for (String command : setup) {
        c.command(command);
      }
      assertThat(c.command(mail(transid)).code()).isEqualTo(250);
      assertThat(c.command("RCPT TO:<b@local.test>").code()).isEqualTo(250);
      long before = server.store.usage().totalBytes();
      assertThat(c.command("DATA").code()).isEqualTo(354);
      c.sendRaw(TestMessages.dotStuff(message(size)));
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> server.store.usage().totalBytes() >= before + size);
      c.abort();
    }
    assertThat(resumeOffset(server, from, transid, setup)).isPositive();
  }

  /** The 355 offset the owner is offered; leaves without QUIT, which would delete the checkpoint. */
  private static long resumeOffset(RunningServer server, InetSocketAddress from, String transid,
      String... setup) throws IOException {
    try (SmtpTestClient c = greeted(server, from)) {
      c.command("EHLO client.test");
      for (String command : setup) {
        c.command(command);
      }
      Reply r = c.command(mail(transid)); // waits for the broken session to save its last checkpoint
      c.abort();
      assertThat(r.code()).as("resume of " + transid).isEqualTo(355);
      return Long.parseLong(r.lines().get(0).split(" ")[0]);
    }
  }

  /** Resumes {@code transid} and sends the rest of {@code whole}; expects 250. */
  private static void completeByResuming(RunningServer server, InetSocketAddress from, String transid,
      byte[] whole) throws IOException {
    try (SmtpTestClient c = greeted(server, from)) {
      c.command("EHLO client.test");
      Reply restart = c.command(mail(transid));
      assertThat(restart.code()).isEqualTo(355);
      int offset = Integer.parseInt(restart.lines().get(0).split(" ")[0]);
      assertThat(c.command("DATA").code()).isEqualTo(354);
      c.sendRaw(TestMessages.dotStuff(whole, offset));
      c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.readReply().code()).isEqualTo(250);
      c.command("QUIT");
    }
  }

  /** The reply to MAIL with a new TRANSID (and the EHLO keywords before it). */
  private static Reply newTransaction(RunningServer server, InetSocketAddress from, String mail)
      throws IOException {
    try (SmtpTestClient c = greeted(server, from)) {
      c.command("EHLO client.test");
      Reply r = c.command(mail);
      c.command("QUIT");
      return r;
    }
  }

  private static boolean offersCheckpoint(RunningServer server) throws IOException {
    try (SmtpTestClient c = greeted(server, ONE)) {
      boolean offered = c.command("EHLO client.test").lines().contains("CHECKPOINT");
      c.command("QUIT");
      return offered;
    }
  }

  private static void assertInsufficientStorage(Reply r) {
    assertThat(r.code()).isEqualTo(452);
    assertThat(r.lines().get(0)).startsWith("4.3.1");
  }

  @Test
  void aClientAtItsCountQuotaGets452ButMayResumeAndOthersMayCheckpoint() throws Exception {
    try (RunningServer server = start(q -> q.maxOpenPerClient(2))) {
      interrupted(server, ONE, "t1", 200_000);
      interrupted(server, ONE, "t2", 10_000);

      assertInsufficientStorage(newTransaction(server, ONE, mail("t3")));
      assertThat(newTransaction(server, ONE, "MAIL FROM:<a@client.test>").code())
          .as("plain mail is not limited").isEqualTo(250);
      assertThat(newTransaction(server, TWO, mail("t3")).code()).as("another client").isEqualTo(250);

      // The owner completes t1 by resuming it at its quota; that frees one place.
      byte[] t1 = message(200_000);
      completeByResuming(server, ONE, "t1", t1);
      assertThat(server.queuedMessages()).anySatisfy(m -> assertThat(m).isEqualTo(t1));
      assertThat(newTransaction(server, ONE, mail("t4")).code()).as("quota freed").isEqualTo(250);
    }
  }

  /** Trusted networks (the operator's own relays) have no per-client quota; others still do. */
  @Test
  void trustedClientsHaveNoPerClientQuota() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"),
        b -> b.checkpointQuotas(CheckpointQuotas.newBuilder().maxOpenPerClient(1).maxBytesPerClient(50_000)
            .build()).trustedNetworks(List.of(Cidr.parse("127.0.0.1/32"))), b -> b, Clock.systemUTC())) {
      interrupted(server, ONE, "t1", 200_000);
      assertThat(newTransaction(server, ONE, mail("t2") + " SIZE=100000").code())
          .as("trusted: over both per-client quotas").isEqualTo(250);

      interrupted(server, TWO, "u1", 10_000);
      assertInsufficientStorage(newTransaction(server, TWO, mail("u2")));
    }
  }

  @Test
  void theByteQuotaCountsStoredBytesAndTheDeclaredSize() throws Exception {
    try (RunningServer server = start(q -> q.maxBytesPerClient(100_000))) {
      interrupted(server, ONE, "t1", 60_000);

      assertInsufficientStorage(newTransaction(server, ONE, mail("t2") + " SIZE=50000"));
      assertThat(newTransaction(server, ONE, mail("t2") + " SIZE=30000").code()).isEqualTo(250);
      assertThat(newTransaction(server, TWO, mail("t2") + " SIZE=90000").code()).isEqualTo(250);
      assertThat(resumeOffset(server, ONE, "t1")).as("the stored one is untouched").isPositive();
    }
  }

  /** A checkpointed transfer that outgrows the byte quota is dropped at once and refused at its end. */
  @Test
  void aTransferThatOutgrowsTheByteQuotaGets452AtItsEnd() throws Exception {
    try (RunningServer server = start(q -> q.maxBytesPerClient(100_000))) {
      try (SmtpTestClient c = greeted(server, ONE)) {
        c.command("EHLO client.test");
        assertThat(c.command(mail("big")).code()).isEqualTo(250);
        c.command("RCPT TO:<b@local.test>");
        assertThat(c.command("DATA").code()).isEqualTo(354);
        c.sendRaw(TestMessages.dotStuff(message(300_000)));
        c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
        assertInsufficientStorage(c.readReply());
        assertThat(c.command("NOOP").code()).as("the session goes on").isEqualTo(250);
      }
      assertThat(server.queueIds()).isEmpty();
      assertThat(server.store.usage().totalBytes()).as("nothing is kept").isZero();
      assertThat(newTransaction(server, ONE, mail("small")).code()).isEqualTo(250);
    }
  }

  /** The client was promised its offset: a resume that grows past the byte quota is still completed. */
  @Test
  void aResumeIsNeverCutByTheByteQuota() throws Exception {
    byte[] whole = message(150_000);
    try (RunningServer server = start(q -> q.maxBytesPerClient(100_000))) {
      try (SmtpTestClient c = greeted(server, ONE)) {
        c.command("EHLO client.test");
        assertThat(c.command(mail("r")).code()).isEqualTo(250);
        c.command("RCPT TO:<b@local.test>");
        assertThat(c.command("DATA").code()).isEqualTo(354);
        c.sendRaw(TestMessages.dotStuff(Arrays.copyOf(whole, 80_000)));
        Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> server.store.usage().totalBytes() >= 80_000);
        c.abort();
      }
      assertThat(resumeOffset(server, ONE, "r")).isPositive();
      completeByResuming(server, ONE, "r", whole);
      assertThat(server.queuedMessages()).containsExactly(whole);
    }
  }

  @Test
  void theGlobalCapRefusesEveryoneNewCheckpoints() throws Exception {
    try (RunningServer server = start(q -> q.maxTotalBytes(100_000))) {
      interrupted(server, ONE, "t1", 120_000);

      assertInsufficientStorage(newTransaction(server, TWO, mail("t2")));
      assertThat(newTransaction(server, TWO, "MAIL FROM:<a@client.test>").code()).isEqualTo(250);
      assertThat(resumeOffset(server, ONE, "t1")).isPositive();
    }
  }

  @Test
  void belowTheFreeSpaceFloorCheckpointIsNotOfferedAndNewTransactionsGet452() throws Exception {
    AtomicLong usable = new AtomicLong(50 * GIB);
    try (RunningServer server = start(q -> q.minFreeBytes(GIB),
        s -> s.diskProbe(d -> new DiskSpace(usable.get(), 100 * GIB)), Clock.systemUTC())) {
      assertThat(offersCheckpoint(server)).isTrue();
      interrupted(server, ONE, "t1", 50_000);

      usable.set(GIB - 1);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !offersCheckpoint(server));
      assertInsufficientStorage(newTransaction(server, TWO, mail("t2")));
      assertThat(resumeOffset(server, ONE, "t1")).as("resumes stay allowed").isPositive();

      usable.set(2 * GIB);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> offersCheckpoint(server));
      assertThat(newTransaction(server, TWO, mail("t2")).code()).isEqualTo(250);
    }
  }

  /** C11: with an injected clock, an unauthenticated client's checkpoint expires long before a user's. */
  @Test
  void unauthenticatedCheckpointsExpireSooner() throws Exception {
    UserFile users = new UserFile(dir.resolve("users"), 4);
    users.put("alice", "pw-alice".toCharArray());
    String auth = "AUTH PLAIN " + AuthIT.plain("alice", "pw-alice");
    AuthIT.TestClock clock = new AuthIT.TestClock();
    CheckpointPolicy policy = new CheckpointPolicy(16 * 1024, Duration.ZERO, Duration.ofHours(48),
        Duration.ofHours(1));
    try (RunningServer server = RunningServer.start(dir.resolve("data"),
        b -> b.authenticator(users).authWithoutTls(true).checkpointQuotas(
            CheckpointQuotas.newBuilder().maxOpenPerClient(1).build()),
        s -> s.checkpointPolicy(policy), clock)) {
      interrupted(server, ONE, "guest", 50_000);
      interrupted(server, ONE, "user", 50_000, auth);
      assertInsufficientStorage(newTransaction(server, ONE, mail("guest2")));

      clock.now = clock.now.plus(Duration.ofMinutes(59));
      assertThat(server.store.reapExpired().transactions()).isZero();
      clock.now = clock.now.plus(Duration.ofMinutes(2));
      reapsOne(server);

      assertThat(newTransaction(server, ONE, mail("guest")).code()).as("expired").isEqualTo(250);
      assertThat(newTransaction(server, ONE, mail("guest2")).code()).as("quota freed").isEqualTo(250);
      assertThat(resumeOffset(server, ONE, "user", auth)).as("the user's is kept").isPositive();

      clock.now = clock.now.plus(Duration.ofHours(48));
      reapsOne(server);
      assertThat(server.store.usage().list()).isEmpty();
    }
  }

  /** The reaper skips a checkpoint while the session that just looked at it still holds it. */
  private static void reapsOne(RunningServer server) {
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> server.store.reapExpired().transactions() == 1);
  }

  @Test
  void usageIsRebuiltAfterARestart() throws Exception {
    try (RunningServer server = start(q -> q.maxOpenPerClient(2))) {
      interrupted(server, ONE, "t1", 30_000);
      interrupted(server, ONE, "t2", 30_000);
    }
    try (RunningServer server = start(q -> q.maxOpenPerClient(2))) {
      assertInsufficientStorage(newTransaction(server, ONE, mail("t3")));
      assertThat(resumeOffset(server, ONE, "t1")).isPositive();
    }
  }

  /** C16: a checkpoint whose journal is corrupt is quarantined at start-up and counts for nothing. */
  @Test
  void aCorruptJournalAtStartUpIsQuarantinedAndNotCounted() throws Exception {
    try (RunningServer server = start(q -> q.maxOpenPerClient(1))) {
      interrupted(server, ONE, "t1", 30_000);
    }
    Path journal;
    try (Stream<Path> files = Files.walk(dir.resolve("data/checkpoints"))) {
      journal = files.filter(p -> p.getFileName().toString().equals("journal")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
      f.seek(20); // inside the OPEN record's payload: its CRC no longer matches
      int b = f.read();
      f.seek(20);
      f.write(b ^ 0x55);
    }
    try (RunningServer server = start(q -> q.maxOpenPerClient(1))) {
      assertThat(Files.list(dir.resolve("data/corrupt")).toList()).hasSize(1);
      assertThat(server.store.usage().list()).isEmpty();
      assertThat(newTransaction(server, ONE, mail("t1")).code()).as("never resumed").isEqualTo(250);
      assertThat(newTransaction(server, ONE, mail("t2")).code()).as("not counted").isEqualTo(250);
    }
  }
}

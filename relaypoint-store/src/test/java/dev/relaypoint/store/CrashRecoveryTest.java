package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.store.internal.CrashPoint;
import dev.relaypoint.store.internal.JournalRecord;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Crashes at named points of the commit protocol, then recovery from what is on disk. */
class CrashRecoveryTest {

  private static final CheckpointKey KEY = new CheckpointKey("client.example.org", "<crash@client>");
  private static final CheckpointPolicy POLICY = Fixtures.bytesPolicy(256 * 1024);

  @TempDir Path dir;
  private FileStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private FileStore reopen() throws Exception {
    if (store != null) {
      store.close();
    }
    store = FileStore.open(FileStoreConfig.builder(dir).checkpointPolicy(POLICY).build());
    return store;
  }

  private Path ckDir() {
    return dir.resolve("checkpoints").resolve(KEY.fileName());
  }

  /**
   * A checkpointed commit is acknowledged after one round; the background steps (rename into the
   * queue, COMPLETED, visible rename) may be cut by a crash anywhere. Recovery must end with the
   * original qid completed and queued exactly once. {@code size} 600 KB has PROGRESS records (the
   * journal existed before the commit); 5 KB never reached a checkpoint, so it was committed
   * straight into the queue (force, rename: no COMPLETED step) and its tagged entry is the record.
   */
  @ParameterizedTest
  @CsvSource({"AFTER_DATA_FORCE,600000", "AFTER_RENAME,600000", "AFTER_COMPLETED,600000",
      "AFTER_DATA_FORCE,5000", "AFTER_RENAME,5000"})
  void acknowledgedCheckpointedCommitIsQueuedExactlyOnceWhereverItCrashes(CrashPoint point, int size)
      throws Exception {
    byte[] data = Fixtures.message(size, point.ordinal());
    FaultyFileOps ops = new FaultyFileOps();
    ops.crashAt = point;
    store = FileStore.open(FileStoreConfig.builder(dir).checkpointPolicy(POLICY).fileOps(ops).build());
    List<String> announced = new CopyOnWriteArrayList<>();
    store.onCommitted(announced::add);
    String qid;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      qid = w.queueId();
      Fixtures.write(w, data, 0, data.length, 40_000);
      await(w.commit()); // the 250
    }
    Fixtures.eventually(() -> assertThat(ops.crashed()).isTrue());
    assertThat(announced).isEmpty();

    reopen();
    assertThat(store.list()).containsExactly(qid);
    assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
    assertThat(ckDir().resolve("message")).doesNotExist();
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/incoming"))).hasSize(1);
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).isEmpty();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).contains(
          new CheckpointState.Completed(Fixtures.envelope("<crash@client>"), qid, data.length));
    }
    // A second restart changes nothing: recovery is idempotent.
    reopen();
    assertThat(store.list()).containsExactly(qid);
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state().orElseThrow()).isInstanceOf(CheckpointState.Completed.class);
    }
  }

  /** The same windows seen at run time, without a restart: the inspector finishes the steps. */
  @ParameterizedTest
  @EnumSource(value = CrashPoint.class, names = {"AFTER_DATA_FORCE", "AFTER_RENAME", "AFTER_COMPLETED"})
  void failedBackgroundStepsAreFinishedByTheNextUserOfTheKey(CrashPoint point) throws Exception {
    byte[] data = Fixtures.message(300_000, 5);
    FaultyFileOps ops = new FaultyFileOps();
    ops.failAt = point;
    store = FileStore.open(FileStoreConfig.builder(dir).checkpointPolicy(POLICY).fileOps(ops).build());
    String qid;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      qid = w.queueId();
      Fixtures.write(w, data, 0, data.length, 40_000);
      await(w.commit());
    }
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) { // the lost-reply resend
      assertThat(lease.state()).contains(
          new CheckpointState.Completed(Fixtures.envelope("<crash@client>"), qid, data.length));
      assertThat(store.list()).containsExactly(qid);
      lease.delete();
    }
    assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
    reopen();
    assertThat(store.list()).containsExactly(qid);
  }

  @Test
  void journalWhoseOpenIsTornMeansNothingWasPromised() throws Exception {
    crashAfterTheFirstCheckpointMovedTheMessage(); // then the crash cut the journal's creation short
    ByteBuffer open = new JournalRecord.Open("0000000000000000", Fixtures.envelope(null), 1,
        new CheckpointOwner("127.0.0.1/32", false)).encode();
    open.limit(open.limit() - 7);
    try (FileChannel ch = FileChannel.open(ckDir().resolve("journal"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ch.write(open);
    }
    reopen();
    assertThat(ckDir()).doesNotExist();
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void tornTrailerIsAnInterruptedTransferAtItsLastCheckpoint() throws Exception {
    long offset = suspendedTransaction();
    store.close();
    ByteBuffer trailer = ByteBuffer.wrap(new byte[] {0x0b, 0, 0, 0, 12, 0, 0});
    try (FileChannel ch = FileChannel.open(ckDir().resolve("message"), StandardOpenOption.APPEND)) {
      ch.write(trailer);
    }
    reopen();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state().orElseThrow()).isEqualTo(
          new CheckpointState.Interrupted(Fixtures.envelope("<crash@client>"), offset));
    }
    assertThat(store.list()).isEmpty();
  }

  /**
   * The plain commit is durable after its one round (file and incoming/ forced), so 250 may be
   * sent; a crash before or after the rename that makes it visible leaves it queued exactly once.
   */
  @ParameterizedTest
  @EnumSource(value = CrashPoint.class, names = {"AFTER_DATA_FORCE", "AFTER_RENAME"})
  void plainCommitIsDurableWhenAcknowledgedAndQueuedOnce(CrashPoint point) throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    ops.crashAt = point;
    store = FileStore.open(FileStoreConfig.builder(dir).fileOps(ops).build());
    List<String> announced = new CopyOnWriteArrayList<>();
    store.onCommitted(announced::add);
    byte[] data = Fixtures.message(100_000, 9);
    MessageWriter w = store.begin(Fixtures.envelope(null));
    Fixtures.write(w, data, 0, data.length, 7000);
    await(w.commit()); // acknowledged
    Fixtures.eventually(() -> assertThat(ops.crashed()).isTrue());
    assertThat(announced).as("nobody hears of an entry the crash kept invisible").isEmpty();

    reopen();
    assertThat(store.list()).containsExactly(w.queueId());
    assertThat(Fixtures.queuedSha(store, w.queueId())).isEqualTo(Fixtures.sha256(data));
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/incoming"))).hasSize(1);
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).isEmpty();
    reopen();
    assertThat(store.list()).containsExactly(w.queueId());
  }

  @Test
  void tornPartFileIsDeletedNotQuarantined() throws Exception {
    reopen();
    byte[] data = Fixtures.message(50_000, 4);
    MessageWriter torn = store.begin(Fixtures.envelope(null));
    Fixtures.write(torn, data, 0, data.length, 5000);
    MessageWriter tornTrailer = store.begin(Fixtures.envelope(null));
    Fixtures.write(tornTrailer, data, 0, data.length, 5000);
    await(tornTrailer.commit());
    store.close(); // the "crash": torn was never committed
    Path entry = dir.resolve("queue/incoming").resolve(tornTrailer.queueId());
    try (RandomAccessFile f = new RandomAccessFile(entry.toFile(), "rw")) {
      f.setLength(f.length() - 5); // a trailer that never reached the disk whole
    }
    Files.move(entry, entry.resolveSibling("." + tornTrailer.queueId() + ".part"));
    Files.write(dir.resolve("queue/incoming/.0000000000000001.part"), new byte[0]);

    reopen();
    assertThat(store.list()).isEmpty();
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/incoming"))).isEmpty();
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).isEmpty();
  }

  @Test
  void corruptJournalIsQuarantinedAndNeverResumed() throws Exception {
    suspendedTransaction();
    store.close();
    Path journal = ckDir().resolve("journal");
    flipByte(journal, 20); // inside the OPEN record's payload

    reopen();
    assertThat(store.usage().list()).as("a quarantined checkpoint is not open").isEmpty();
    assertThat(store.usage().totalBytes()).isZero();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).isEmpty();
      assertThatThrownBy(lease::resume).isInstanceOf(IllegalStateException.class);
    }
    assertThat(ckDir()).doesNotExist();
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt")))
        .singleElement().satisfies(p -> {
          assertThat(p.getFileName().toString()).startsWith("checkpoint-" + KEY.fileName());
          assertThat(p.resolve("journal")).exists();
        });
  }

  @Test
  void tornJournalTailIsDroppedAndEarlierCheckpointStands() throws Exception {
    long offset = suspendedTransaction();
    store.close();
    Path journal = ckDir().resolve("journal");
    long before = Files.size(journal);
    ByteBuffer half = new JournalRecord.Progress(offset + 100, 1).encode();
    half.limit(half.limit() - 3);
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.APPEND)) {
      ch.write(half);
    }

    reopen();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state().orElseThrow()).isInstanceOf(CheckpointState.Interrupted.class)
          .extracting(s -> ((CheckpointState.Interrupted) s).offset()).isEqualTo(offset);
    }
    assertThat(Files.size(journal)).isEqualTo(before);
  }

  @Test
  void corruptQueueEntryIsQuarantined() throws Exception {
    reopen();
    MessageWriter good = store.begin(Fixtures.envelope(null));
    good.write(ByteBuffer.wrap(Fixtures.ascii("good\r\n")), 6);
    await(good.commit());
    MessageWriter bad = store.begin(Fixtures.envelope(null));
    bad.write(ByteBuffer.wrap(Fixtures.ascii("bad\r\n")), 5);
    await(bad.commit());
    store.close();
    Path entry = dir.resolve("queue/incoming").resolve(bad.queueId());
    try (RandomAccessFile f = new RandomAccessFile(entry.toFile(), "rw")) {
      f.setLength(f.length() - 1); // the trailer's end marker is gone
    }
    Files.writeString(dir.resolve("queue/incoming/not-a-queue-id"), "junk");

    reopen();
    assertThat(store.list()).containsExactly(good.queueId());
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).hasSize(2)
        .anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("entry-" + bad.queueId()));
  }

  @Test
  void transferThatNeverReachedACheckpointIsDeletedAtStartup() throws Exception {
    reopen();
    Path part;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      w.write(ByteBuffer.wrap(Fixtures.ascii("never checkpointed\r\n")), 20);
      part = dir.resolve("queue/incoming/." + w.queueId() + ".part");
      assertThat(part).exists();
      assertThat(ckDir()).doesNotExist();
      store.close(); // the "crash": no suspend, no commit
    }
    reopen();
    assertThat(part).doesNotExist();
    assertThat(ckDir()).doesNotExist();
    assertThat(store.list()).isEmpty();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).isEmpty();
    }
  }

  /** The first checkpoint's round forced the journal (OPEN only) but not the message: nothing promised. */
  @Test
  void journalWithOnlyOpenAndAMessageThatNeverReachedTheDiskIsDeleted() throws Exception {
    crashAfterTheFirstCheckpointMovedTheMessage();
    try (FileChannel ch = FileChannel.open(ckDir().resolve("journal"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ch.write(new JournalRecord.Open("0000000000000000", Fixtures.envelope("<crash@client>"), 1,
          new CheckpointOwner("127.0.0.1/32", false)).encode());
    }
    Files.write(ckDir().resolve("message"), new byte[0]);
    reopen();
    assertThat(ckDir()).doesNotExist();
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).isEmpty();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).isEmpty();
    }
  }

  @Test
  void checkpointDirWithoutJournalIsDeletedAtStartup() throws Exception {
    crashAfterTheFirstCheckpointMovedTheMessage();
    reopen();
    assertThat(ckDir()).doesNotExist();
    assertThat(store.list()).isEmpty();
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).isEmpty();
  }

  /** A transfer whose first checkpoint renamed its part file to {@code <h>/message}, then a crash. */
  private void crashAfterTheFirstCheckpointMovedTheMessage() throws Exception {
    reopen();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      w.write(ByteBuffer.wrap(Fixtures.ascii("never acknowledged\r\n")), 20);
      store.close();
      Files.createDirectories(ckDir());
      Files.move(dir.resolve("queue/incoming/." + w.queueId() + ".part"), ckDir().resolve("message"));
    }
  }

  @Test
  void journalWithoutMessageOrEntryIsQuarantined() throws Exception {
    suspendedTransaction();
    store.close();
    Files.delete(ckDir().resolve("message"));
    reopen();
    assertThat(ckDir()).doesNotExist();
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).hasSize(1);
  }

  @Test
  void failedForceFailsTheCommitAndQueuesNothing() throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    ops.failForce = 1;
    store = FileStore.open(FileStoreConfig.builder(dir).fileOps(ops).build());
    MessageWriter w = store.begin(Fixtures.envelope(null));
    w.write(ByteBuffer.wrap(Fixtures.ascii("x\r\n")), 3);
    assertThatThrownBy(() -> await(w.commit())).hasMessageContaining("injected failure of force #1");
    assertThat(store.list()).isEmpty();
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/incoming"))).isEmpty();
  }

  /** A transaction with at least one checkpoint, suspended; returns its offset. */
  private long suspendedTransaction() throws Exception {
    reopen();
    byte[] data = Fixtures.message(300_000, 11);
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      Fixtures.write(w, data, 0, data.length - 10, 30_000);
      await(w.suspend());
      return ((CheckpointState.Interrupted) lease.state().orElseThrow()).offset();
    }
  }

  private static void flipByte(Path file, long pos) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(pos);
      int b = f.read();
      f.seek(pos);
      f.write(b ^ 0x40);
    }
  }
}

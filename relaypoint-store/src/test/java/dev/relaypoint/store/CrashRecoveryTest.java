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
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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

  @ParameterizedTest
  @EnumSource(CrashPoint.class)
  void checkpointedCommitIsResumableOrQueuedExactlyOnce(CrashPoint point) throws Exception {
    byte[] data = Fixtures.message(600_000, point.ordinal());
    FaultyFileOps ops = new FaultyFileOps();
    ops.crashAt = point;
    store = FileStore.open(FileStoreConfig.builder(dir).checkpointPolicy(POLICY).fileOps(ops).build());
    String qid;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      qid = w.queueId();
      Fixtures.write(w, data, 0, data.length, 40_000);
      assertThatThrownBy(() -> await(w.commit()))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(FaultyFileOps.SimulatedCrash.class);
    }
    assertThat(ops.crashed()).isTrue();

    reopen();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      CheckpointState state = lease.state().orElseThrow();
      if (state instanceof CheckpointState.Interrupted i) {
        assertThat(point).isIn(CrashPoint.AFTER_DATA_FORCE, CrashPoint.AFTER_OPEN);
        assertThat(store.list()).as("resumable must not also be queued").isEmpty();
        assertThat(i.offset()).isPositive().isLessThanOrEqualTo(data.length)
            .isEqualTo(Fixtures.lineAligned(data, (int) i.offset()));
        MessageWriter w = lease.resume();
        assertThat(w.queueId()).isEqualTo(qid);
        Fixtures.write(w, data, (int) i.offset(), data.length, 40_000);
        await(w.commit());
      } else {
        assertThat(point).isIn(CrashPoint.AFTER_RENAME, CrashPoint.AFTER_COMPLETED);
        assertThat(Files.exists(ckDir().resolve("message"))).isFalse();
      }
      assertThat(lease.state()).contains(
          new CheckpointState.Completed(Fixtures.envelope("<crash@client>"), qid, data.length));
    }
    assertThat(store.list()).containsExactly(qid);
    assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
    // A second restart changes nothing: recovery is idempotent.
    reopen();
    assertThat(store.list()).containsExactly(qid);
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state().orElseThrow()).isInstanceOf(CheckpointState.Completed.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CrashPoint.class, names = {"AFTER_DATA_FORCE", "AFTER_RENAME"})
  void plainCommitCrashLeavesNothingOrOneValidEntry(CrashPoint point) throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    ops.crashAt = point;
    store = FileStore.open(FileStoreConfig.builder(dir).fileOps(ops).build());
    byte[] data = Fixtures.message(100_000, 9);
    MessageWriter w = store.begin(Fixtures.envelope(null));
    Fixtures.write(w, data, 0, data.length, 7000);
    assertThatThrownBy(() -> await(w.commit())).hasRootCauseInstanceOf(FaultyFileOps.SimulatedCrash.class);

    reopen();
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/tmp"))).isEmpty();
    if (point == CrashPoint.AFTER_DATA_FORCE) {
      assertThat(store.list()).isEmpty();
    } else {
      assertThat(store.list()).containsExactly(w.queueId());
      assertThat(Fixtures.queuedSha(store, w.queueId())).isEqualTo(Fixtures.sha256(data));
    }
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
  void checkpointDirWithoutJournalIsDeletedAtStartup() throws Exception {
    reopen();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<crash@client>"));
      w.write(ByteBuffer.wrap(Fixtures.ascii("never checkpointed\r\n")), 20);
      assertThat(ckDir().resolve("message")).exists();
      store.close(); // the "crash": no suspend, no commit
    }
    reopen();
    assertThat(ckDir()).doesNotExist();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).isEmpty();
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
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/tmp"))).isEmpty();
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

package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

  private static final CheckpointKey KEY = new CheckpointKey("client.example.org", "<t1@client>");

  @TempDir Path dir;
  private FileStore store;

  private FileStore open(CheckpointPolicy policy) throws Exception {
    store = FileStore.open(FileStoreConfig.builder(dir).checkpointPolicy(policy).build());
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void interruptedTransactionResumesAfterRestartAndCompletesExactlyOnce() throws Exception {
    byte[] data = Fixtures.message(3 << 20, 7);
    int cut = (3 << 20) - 12_345; // mid-line, after three policy-sized chunks
    open(Fixtures.bytesPolicy(1 << 20));
    String qid;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).isEmpty();
      MessageWriter w = lease.begin(Fixtures.envelope("<t1@client>"));
      qid = w.queueId();
      Fixtures.write(w, data, 0, cut, 64 * 1024 + 3);
      await(w.suspend());
    }
    store.close();

    long expected = Fixtures.lineAligned(data, cut);
    open(Fixtures.bytesPolicy(1 << 20));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      CheckpointState state = lease.state().orElseThrow();
      assertThat(state).isEqualTo(new CheckpointState.Interrupted(Fixtures.envelope("<t1@client>"), expected));
      assertThat(expected).isLessThanOrEqualTo(cut);
      assertThat(data[(int) expected - 2]).isEqualTo((byte) '\r');
      assertThat(data[(int) expected - 1]).isEqualTo((byte) '\n');

      MessageWriter w = lease.resume();
      assertThat(w.size()).isEqualTo(expected);
      assertThat(w.queueId()).isEqualTo(qid);
      Fixtures.write(w, data, (int) expected, data.length, 50_000);
      await(w.commit());

      // state() waits for the steps after the 250 that make the entry visible in the queue.
      assertThat(lease.state()).contains(
          new CheckpointState.Completed(Fixtures.envelope("<t1@client>"), qid, data.length));
      assertThat(store.list()).containsExactly(qid);
      assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
      lease.delete();
      assertThat(lease.state()).isEmpty();
    }
    assertThat(dir.resolve("checkpoints").resolve(KEY.fileName())).doesNotExist();
    assertThat(store.list()).containsExactly(qid);
  }

  @Test
  void completionSurvivesRestartAsTombstone() throws Exception {
    open(Fixtures.bytesPolicy(1 << 20));
    List<String> committed = new CopyOnWriteArrayList<>();
    store.onCommitted(committed::add);
    byte[] data = Fixtures.message(5000, 3);
    String qid;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<t1@client>"));
      Fixtures.write(w, data, 0, data.length, 999);
      await(w.commit());
      qid = w.queueId();
    }
    String id = qid;
    Fixtures.eventually(() -> assertThat(committed).containsExactly(id));
    store.close();
    open(Fixtures.bytesPolicy(1 << 20));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).contains(
          new CheckpointState.Completed(Fixtures.envelope("<t1@client>"), qid, data.length));
      assertThatThrownBy(lease::resume).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> lease.begin(Fixtures.envelope(null)))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(store.list()).containsExactly(qid);
    assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
  }

  @Test
  void suspendWithoutEarlierCheckpointRecordsTheLastLineEnd() throws Exception {
    open(Fixtures.bytesPolicy(1 << 30));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<t1@client>"));
      w.write(ByteBuffer.wrap(Fixtures.ascii("line one\r\nline tw")), 10);
      await(w.suspend());
      assertThat(lease.state()).contains(
          new CheckpointState.Interrupted(Fixtures.envelope("<t1@client>"), 10));
    }
  }

  @Test
  void intervalPolicyCheckpointsOnWrite() throws Exception {
    MutableClock clock = new MutableClock(Fixtures.T0);
    store = FileStore.open(FileStoreConfig.builder(dir).clock(clock)
        .checkpointPolicy(new CheckpointPolicy(0, Duration.ofSeconds(1), Duration.ofHours(1))).build());
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<t1@client>"));
      w.write(ByteBuffer.wrap(Fixtures.ascii("a\r\n")), 3);
      assertThat(dir.resolve("checkpoints").resolve(KEY.fileName()).resolve("journal")).doesNotExist();
      clock.advance(Duration.ofSeconds(2));
      w.write(ByteBuffer.wrap(Fixtures.ascii("bb\r\n")), 7);
      Path journal = dir.resolve("checkpoints").resolve(KEY.fileName()).resolve("journal");
      long deadline = System.nanoTime() + 10_000_000_000L;
      // state() settles the directory and so must not race the writer: watch the file, then stop writing.
      while (!Files.exists(journal)) {
        assertThat(System.nanoTime()).as("checkpoint never taken").isLessThan(deadline);
        Thread.sleep(5);
      }
      w.suspend().toCompletableFuture().get();
      assertThat(lease.state()).contains(new CheckpointState.Interrupted(Fixtures.envelope("<t1@client>"), 7));
      w = lease.resume();
      w.discard();
    }
    assertThat(dir.resolve("checkpoints").resolve(KEY.fileName())).doesNotExist();
  }

  @Test
  void discardDeletesTheWholeCheckpoint() throws Exception {
    open(Fixtures.bytesPolicy(1000));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<t1@client>"));
      byte[] data = Fixtures.message(10_000, 5);
      Fixtures.write(w, data, 0, data.length, 1500);
      w.discard();
      assertThat(lease.state()).isEmpty();
    }
    assertThat(FileStoreQueueTest.children(dir.resolve("checkpoints"))).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void leaseIsExclusivePerKeyUntilClosed() throws Exception {
    open(CheckpointPolicy.DEFAULT);
    CheckpointLease first = store.tryAcquire(KEY).orElseThrow();
    assertThat(store.tryAcquire(KEY)).isEmpty();
    assertThat(store.tryAcquire(new CheckpointKey("client.example.org", "<t1@client>"))).isEmpty();
    try (CheckpointLease other = store.tryAcquire(new CheckpointKey("other.example.org", "<t1@client>"))
        .orElseThrow()) {
      assertThat(other.key()).isNotEqualTo(KEY);
    }
    try (CheckpointLease caseDiffers = store.tryAcquire(new CheckpointKey("client.example.org", "<T1@client>"))
        .orElseThrow()) {
      assertThat(caseDiffers.key().fileName()).isNotEqualTo(KEY.fileName());
    }
    first.close();
    assertThatThrownBy(first::state).isInstanceOf(IllegalStateException.class);
    try (CheckpointLease again = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(again.key()).isEqualTo(KEY);
    }
  }

  @Test
  void writeRejectsALineAlignedSizeBeyondTheData() throws Exception {
    open(CheckpointPolicy.DEFAULT);
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope(null));
      assertThatThrownBy(() -> w.write(ByteBuffer.wrap(Fixtures.ascii("ab\r\n")), 5))
          .isInstanceOf(IllegalArgumentException.class);
      w.discard();
    }
    assertThat(Files.exists(dir.resolve("checkpoints").resolve(KEY.fileName()))).isFalse();
  }

  @Test
  void aResendRightAfterTheFinalReplyFindsTheCompletedTransaction() throws Exception {
    open(Fixtures.bytesPolicy(1 << 20));
    for (int i = 0; i < 20; i++) {
      CheckpointKey key = new CheckpointKey("client.example.org", "<lost" + i + "@client>");
      byte[] data = Fixtures.message(2000 + i, i);
      String qid;
      try (CheckpointLease lease = store.tryAcquire(key).orElseThrow()) {
        MessageWriter w = lease.begin(Fixtures.envelope("<lost@client>"));
        Fixtures.write(w, data, 0, data.length, 700);
        await(w.commit()); // the 250 that the client never sees
        qid = w.queueId();
      }
      try (CheckpointLease lease = store.tryAcquire(key).orElseThrow()) {
        assertThat(lease.state()).contains(
            new CheckpointState.Completed(Fixtures.envelope("<lost@client>"), qid, data.length));
        assertThat(store.locate(qid)).contains(QueueState.INCOMING);
        lease.delete(); // QUIT right after the 250
      }
      assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
    }
    assertThat(store.list()).hasSize(20);
    assertThat(FileStoreQueueTest.children(dir.resolve("checkpoints"))).isEmpty();
  }
}

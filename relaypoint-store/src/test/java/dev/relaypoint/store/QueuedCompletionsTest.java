package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions committed before their first checkpoint go straight into the queue, and the tagged
 * entry is their completion record (package-info, "Transactions that never reach a checkpoint").
 */
class QueuedCompletionsTest {

  private static final CheckpointKey KEY = new CheckpointKey("client.example.org", "<q1@client>");
  private static final Envelope ENVELOPE = Fixtures.envelope("<q1@client>");

  @TempDir Path dir;
  private final FaultyFileOps ops = new FaultyFileOps();
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private FileStore store;

  private void open() throws IOException {
    store = FileStore.open(FileStoreConfig.builder(dir).fileOps(ops).clock(clock)
        .checkpointPolicy(Fixtures.bytesPolicy(64 * 1024)).build());
  }

  private void reopen() throws IOException {
    store.close();
    open();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private Path done(String qid) {
    return dir.resolve("queue/done").resolve(qid);
  }

  private Path keyDir() {
    return dir.resolve("checkpoints").resolve(KEY.fileName());
  }

  /** Commits {@code data} under KEY without deleting the key's state (the client saw no 250). */
  private String commit(byte[] data) throws Exception {
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(ENVELOPE);
      Fixtures.write(w, data, 0, data.length, 4096);
      await(w.commit());
      return w.queueId();
    }
  }

  private CheckpointState state() {
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      return lease.state().orElse(null);
    }
  }

  @Test
  void aSmallTransactionIsQueuedDirectlyAndRemembered() throws Exception {
    open();
    byte[] data = Fixtures.message(10_000, 1);
    String qid = commit(data);
    assertThat(keyDir()).doesNotExist();
    assertThat(store.list()).containsExactly(qid);
    assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThatThrownBy(() -> lease.begin(ENVELOPE)).isInstanceOf(IllegalStateException.class);
    }

    reopen(); // the index is rebuilt from the entry's tag
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
    assertThat(store.usage().list()).isEmpty();
  }

  @Test
  void aDeliveredEntryIsKeptInDoneUntilTheClientShowsItSawThe250() throws Exception {
    open();
    byte[] data = Fixtures.message(10_000, 2);
    String qid = commit(data);
    store.remove(qid); // delivered before the client came back
    assertThat(store.list()).isEmpty();
    assertThat(store.locate(qid)).isEmpty();
    assertThat(done(qid)).exists();
    assertThat(keyDir()).doesNotExist();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));

    reopen();
    assertThat(store.list()).isEmpty();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      lease.delete(); // the client's next MAIL, RSET or QUIT
    }
    assertThat(done(qid)).doesNotExist();
    assertThat(state()).isNull();
  }

  @Test
  void theReaperReplacesADoneEntryWithATombstoneAfterTheGracePeriod() throws Exception {
    open();
    byte[] data = Fixtures.message(10_000, 3);
    String qid = commit(data);
    store.remove(qid);
    assertThat(store.reapExpired().transactions()).isZero();
    assertThat(done(qid)).exists(); // the client may still come back

    clock.advance(Duration.ofMinutes(2));
    ops.failDirForce = ops.dirForces.get() + 1; // the tombstone's round fails
    assertThatThrownBy(() -> store.reapExpired()).isInstanceOf(UncheckedIOException.class);
    assertThat(done(qid)).exists();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));

    assertThat(store.reapExpired().transactions()).isZero();
    assertThat(done(qid)).doesNotExist();
    assertThat(keyDir().resolve("journal")).exists();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
    reopen();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));

    clock.advance(Duration.ofHours(48)); // the tombstone keeps the full retention from the commit
    assertThat(store.reapExpired().transactions()).isEqualTo(1);
    assertThat(state()).isNull();
  }

  @Test
  void aForgottenKeyLeavesTheQueueWithoutATrace() throws Exception {
    open();
    String qid = commit(Fixtures.message(3_000, 3));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      lease.delete(); // the client showed it saw the 250
    }
    assertThat(state()).isNull();
    store.remove(qid);
    assertThat(done(qid)).doesNotExist();
    assertThat(keyDir()).doesNotExist();
    assertThat(state()).isNull();
  }

  @Test
  void aFailedMoveToDoneKeepsTheEntryQueuedAndRemembered() throws Exception {
    open();
    byte[] data = Fixtures.message(5_000, 4);
    String qid = commit(data);
    ops.failDirForce = ops.dirForces.get() + 1;
    assertThatThrownBy(() -> store.remove(qid)).isInstanceOf(IOException.class);
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));

    reopen(); // the rename may or may not have reached the disk: either way it is remembered
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
    if (store.locate(qid).isPresent()) {
      store.remove(qid);
    }
    assertThat(done(qid)).exists();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
  }

  @Test
  void theFirstCheckpointMovesTheTransferIntoItsCheckpointDirectory() throws Exception {
    open();
    byte[] data = Fixtures.message(200_000, 5);
    int cut = 150_000;
    String qid;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(ENVELOPE);
      qid = w.queueId();
      Path part = dir.resolve("queue/incoming/." + qid + ".part");
      Fixtures.write(w, data, 0, 4_096, 4096);
      assertThat(part).exists();
      assertThat(keyDir()).doesNotExist();
      Fixtures.write(w, data, 4_096, cut, 4096);
      Fixtures.eventually(() -> assertThat(keyDir().resolve("journal")).exists());
      assertThat(part).doesNotExist();
      assertThat(keyDir().resolve("message")).exists();
      await(w.suspend());
    }
    reopen();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      CheckpointState.Interrupted s = (CheckpointState.Interrupted) lease.state().orElseThrow();
      assertThat(s.offset()).isEqualTo(Fixtures.lineAligned(data, cut));
      MessageWriter w = lease.resume();
      Fixtures.write(w, data, (int) s.offset(), data.length, 4096);
      await(w.commit());
    }
    // state() waits for the checkpointed commit's background steps (the move into the queue).
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, qid, data.length));
    assertThat(store.list()).containsExactly(qid);
    assertThat(Fixtures.queuedSha(store, qid)).isEqualTo(Fixtures.sha256(data));
  }

  @Test
  void aSuspendBeforeTheFirstCheckpointStoresWhatCameSoFar() throws Exception {
    open();
    byte[] data = Fixtures.message(20_000, 6);
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(ENVELOPE);
      Fixtures.write(w, data, 0, 12_345, 1000);
      await(w.suspend()); // the connection dropped
    }
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/incoming"))).isEmpty();
    long offset = Fixtures.lineAligned(data, 12_345);
    assertThat(state()).isEqualTo(new CheckpointState.Interrupted(ENVELOPE, offset));
    assertThat(Files.size(keyDir().resolve("message"))).isGreaterThan(offset);
  }

  @Test
  void aDiscardedTransferLeavesNothing() throws Exception {
    open();
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(ENVELOPE);
      Fixtures.write(w, Fixtures.message(2_000, 7), 0, 2_000, 500);
      w.discard();
    }
    assertThat(FileStoreQueueTest.children(dir.resolve("queue/incoming"))).isEmpty();
    assertThat(keyDir()).doesNotExist();
    assertThat(state()).isNull();
    assertThat(store.usage().list()).isEmpty();
  }

  @Test
  void aReusedKeysLaterEntryIsTheRememberedOne() throws Exception {
    open();
    String first = commit(Fixtures.message(1_000, 8));
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      lease.delete();
    }
    byte[] data = Fixtures.message(2_000, 9);
    String second = commit(data); // a client that reuses its TRANSID (RFC 1845 says it must not)
    reopen();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, second, data.length));
    store.remove(first); // not the remembered one
    assertThat(done(first)).doesNotExist();
    store.remove(second);
    assertThat(done(second)).exists();
    assertThat(state()).isEqualTo(new CheckpointState.Completed(ENVELOPE, second, data.length));
  }
}

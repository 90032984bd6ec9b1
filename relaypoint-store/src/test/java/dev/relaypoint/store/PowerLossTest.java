package dev.relaypoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every step of a workload is the last one before a power loss ({@link PowerLossOps}: only what was
 * forced survives); the store recovers from what survived, and the invariants of SECURITY-TESTS.md
 * §6.3 must hold: an acknowledged message is queued exactly once and byte-identical, or (once its
 * removal returned) never again; a queued TRANSID message is always its transaction's completion, so
 * a resend cannot duplicate it; an acknowledged suspend's offset is promised with its bytes.
 */
class PowerLossTest {

  private static final CheckpointKey KEY = new CheckpointKey("client.test", "<power@client.test>");
  private static final Envelope ENVELOPE = Fixtures.envelope("<power@client.test>");

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Fixtures.T0);

  /** What the workload saw succeed before the power went. */
  private static final class Outcome {
    boolean transid;
    String queueId;
    boolean committed;
    boolean removeStarted;
    boolean removed;
    /** The client showed it saw the outcome; from here its transaction may be forgotten. */
    boolean forgetStarted;
    boolean forgotten;
    long suspendedAt = -1;
  }

  @FunctionalInterface
  private interface Workload {
    void run(FileStore store, byte[] data, Outcome o) throws Exception;
  }

  /** Committed before its first checkpoint (straight into the queue), or after several. */
  @ParameterizedTest(name = "{0} octets, checkpoint every {1}")
  @CsvSource({"5000,1048576", "40000,8192"})
  void aTransactionCommittedDeliveredAndForgotten(int size, long checkpointBytes) throws Exception {
    everyStep(Fixtures.message(size, 1), checkpointBytes, (store, data, o) -> {
      try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
        commit(lease, data, o);
        assertThat(lease.state()).isPresent(); // a checkpointed commit: waits for the move into the queue
        deliver(store, o); // before the client came back: kept in done/
        o.forgetStarted = true;
        lease.delete(); // the client's next command
        o.forgotten = true;
      }
    });
  }

  /** The client never comes back: after a minute the reaper replaces the done file with a tombstone. */
  @Test
  void aDoneFileReplacedByATombstone() throws Exception {
    everyStep(Fixtures.message(5_000, 5), 1 << 20, (store, data, o) -> {
      try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
        commit(lease, data, o);
      }
      deliver(store, o);
      clock.advance(Duration.ofMinutes(2));
      store.reapExpired();
    });
  }

  @Test
  void aPlainMessageCommittedClaimedAndRemoved() throws Exception {
    everyStep(Fixtures.message(5_000, 2), 1 << 20, (store, data, o) -> {
      MessageWriter w = store.begin(Fixtures.envelope(null));
      o.queueId = w.queueId();
      Fixtures.write(w, data, 0, data.length, 1000);
      Fixtures.await(w.commit());
      o.committed = true;
      deliver(store, o);
    });
  }

  /** A TRANSID message sent whole and committed: the 250. */
  private static void commit(CheckpointLease lease, byte[] data, Outcome o) throws Exception {
    o.transid = true;
    MessageWriter w = lease.begin(ENVELOPE);
    o.queueId = w.queueId();
    Fixtures.write(w, data, 0, data.length, 1000);
    Fixtures.await(w.commit());
    o.committed = true;
  }

  /** What the queue manager does with a delivered entry: claim it, then remove it. */
  private static void deliver(FileStore store, Outcome o) throws IOException {
    store.claimIncoming(o.queueId);
    o.removeStarted = true;
    store.remove(o.queueId);
    o.removed = true;
  }

  @Test
  void aTransferMovedIntoItsCheckpointDirectoryThenSuspended() throws Exception {
    everyStep(Fixtures.message(40_000, 3), 8 * 1024, (store, data, o) -> {
      o.transid = true;
      try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
        MessageWriter w = lease.begin(ENVELOPE);
        o.queueId = w.queueId();
        Fixtures.write(w, data, 0, 30_001, 1000);
        Fixtures.await(w.suspend()); // the connection broke
        o.suspendedAt = Fixtures.lineAligned(data, 30_001);
      }
    });
  }

  private void everyStep(byte[] data, long checkpointBytes, Workload workload) throws Exception {
    int steps = run(-1, data, checkpointBytes, workload);
    assertThat(steps).as("the workload's file operations").isGreaterThan(3);
    for (int k = 1; k <= steps + 1; k++) {
      run(k, data, checkpointBytes, workload);
    }
  }

  /** Runs the workload with the power lost at step {@code crashAt} (none if negative); returns the steps. */
  private int run(int crashAt, byte[] data, long checkpointBytes, Workload workload) throws Exception {
    Path live = Files.createDirectories(tmp.resolve("live-" + crashAt));
    PowerLossOps ops = new PowerLossOps(live);
    FileStore store = FileStore.open(config(live, checkpointBytes).fileOps(ops).build());
    ops.baseline();
    ops.crashAtStep = crashAt < 0 ? Integer.MAX_VALUE : crashAt;
    Outcome o = new Outcome();
    try {
      workload.run(store, data, o);
    } catch (IOException | ExecutionException | RuntimeException e) {
      assertThat(ops.crashed()).as("only the power loss may fail the workload: %s", e).isTrue();
    } finally {
      store.close();
    }
    if (crashAt < 0) {
      return ops.steps();
    }
    for (PowerLossOps.Image image : PowerLossOps.Image.values()) {
      Path after = Files.createDirectories(tmp.resolve("after-" + crashAt + "-" + image));
      ops.materialize(after, image);
      try (FileStore recovered = FileStore.open(config(after, checkpointBytes).build())) {
        check(recovered, after, data, o, "power lost at step " + crashAt + ", " + image);
      }
    }
    return ops.steps();
  }

  private FileStoreConfig.Builder config(Path dir, long checkpointBytes) {
    return FileStoreConfig.builder(dir).clock(clock).checkpointPolicy(Fixtures.bytesPolicy(checkpointBytes));
  }

  private static void check(FileStore store, Path dir, byte[] data, Outcome o, String when) throws Exception {
    List<String> queued = new ArrayList<>();
    for (QueueState s : QueueState.values()) {
      queued.addAll(store.list(s));
    }
    assertThat(FileStoreQueueTest.children(dir.resolve("corrupt"))).as("%s: quarantined", when).isEmpty();
    assertThat(queued).as("%s: queued", when).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(1);
    if (!queued.isEmpty()) { // acknowledged, or complete before the 250 (the RFC 1047 window)
      assertThat(queued).as(when).containsExactly(o.queueId);
      assertThat(Fixtures.queuedSha(store, o.queueId)).as("%s: content", when).isEqualTo(Fixtures.sha256(data));
    }
    if (o.committed && !o.removeStarted) {
      assertThat(queued).as("%s: acknowledged", when).containsExactly(o.queueId);
    }
    if (o.removed) {
      assertThat(queued).as("%s: removed after delivery", when).isEmpty();
    }
    if (!o.transid) {
      return;
    }
    Optional<CheckpointState> state;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      state = lease.state();
    }
    boolean completedRecord = state.isPresent() && state.get() instanceof CheckpointState.Completed c
        && c.queueId().equals(o.queueId) && c.size() == data.length;
    if (!queued.isEmpty() && o.suspendedAt < 0) {
      assertThat(completedRecord).as("%s: a queued message is its transaction's completion: %s", when, state)
          .isTrue();
    }
    if (o.committed && o.suspendedAt < 0 && !o.forgetStarted) {
      assertThat(completedRecord).as("%s: acknowledged and not forgotten: %s", when, state).isTrue();
    }
    if (o.suspendedAt >= 0) {
      assertThat(state).as("%s: the suspend's promise", when)
          .contains(new CheckpointState.Interrupted(ENVELOPE, o.suspendedAt));
    }
    if (state.isPresent() && state.get() instanceof CheckpointState.Interrupted i) {
      try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
        MessageWriter w = lease.resume(); // the promised prefix is there, byte for byte
        Fixtures.write(w, data, (int) i.offset(), data.length, 4096);
        Fixtures.await(w.commit());
        assertThat(lease.state().orElseThrow()).isInstanceOf(CheckpointState.Completed.class);
        assertThat(Fixtures.queuedSha(store, w.queueId())).as("%s: resumed", when).isEqualTo(Fixtures.sha256(data));
      }
    }
  }
}

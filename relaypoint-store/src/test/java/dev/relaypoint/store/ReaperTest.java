package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaperTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private FileStore store;

  @AfterEach
  void close() {
    store.close();
  }

  private CheckpointKey suspended(String transid, int size) throws Exception {
    CheckpointKey key = new CheckpointKey("c.example", transid);
    try (CheckpointLease lease = store.tryAcquire(key).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope(transid));
      byte[] data = Fixtures.message(size, size);
      Fixtures.write(w, data, 0, data.length, 4096);
      await(w.suspend());
    }
    return key;
  }

  private long bytesOf(CheckpointKey key) throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("checkpoints").resolve(key.fileName()))) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void expiredCheckpointsAreFreedFreshAndLeasedOnesKept() throws Exception {
    store = FileStore.open(FileStoreConfig.builder(dir).clock(clock)
        .checkpointPolicy(new CheckpointPolicy(8192, Duration.ZERO, Duration.ofHours(48))).build());
    CheckpointKey old1 = suspended("<old1@c>", 20_000);
    CheckpointKey old2 = suspended("<old2@c>", 30_000);
    CheckpointKey oldLeased = suspended("<old3@c>", 10_000);
    long expectedBytes = bytesOf(old1) + bytesOf(old2);
    clock.advance(Duration.ofHours(47));
    CheckpointKey fresh = suspended("<fresh@c>", 5000);

    assertThat(store.reapExpired()).isEqualTo(new CheckpointStore.ReapResult(0, 0));
    clock.advance(Duration.ofHours(2));
    try (CheckpointLease held = store.tryAcquire(oldLeased).orElseThrow()) {
      assertThat(store.reapExpired()).isEqualTo(new CheckpointStore.ReapResult(2, expectedBytes));
      assertThat(held.state()).isPresent();
    }
    for (CheckpointKey k : new CheckpointKey[] {old1, old2}) {
      try (CheckpointLease lease = store.tryAcquire(k).orElseThrow()) {
        assertThat(lease.state()).isEmpty();
      }
    }
    try (CheckpointLease lease = store.tryAcquire(fresh).orElseThrow()) {
      assertThat(lease.state()).isPresent();
    }
    // Once released, the expired leased one goes too; the fresh one is still within retention.
    assertThat(store.reapExpired().transactions()).isEqualTo(1);
    clock.advance(Duration.ofHours(48));
    assertThat(store.reapExpired().transactions()).isEqualTo(1);
    assertThat(FileStoreQueueTest.children(dir.resolve("checkpoints"))).isEmpty();
  }

  @Test
  void completedTombstoneExpiresButItsQueueEntryStays() throws Exception {
    // Checkpointed (a journal exists): a transaction committed before its first checkpoint has no
    // tombstone while its message is queued (QueuedCompletionsTest).
    store = FileStore.open(FileStoreConfig.builder(dir).clock(clock)
        .checkpointPolicy(Fixtures.bytesPolicy(256)).build());
    CheckpointKey key = new CheckpointKey("c.example", "<done@c>");
    String qid;
    try (CheckpointLease lease = store.tryAcquire(key).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<done@c>"));
      byte[] data = Fixtures.message(1000, 1);
      Fixtures.write(w, data, 0, data.length, 100);
      await(w.commit());
      qid = w.queueId();
    }
    clock.advance(Duration.ofHours(49));
    assertThat(store.reapExpired().transactions()).isEqualTo(1);
    assertThat(store.list()).containsExactly(qid);
  }
}

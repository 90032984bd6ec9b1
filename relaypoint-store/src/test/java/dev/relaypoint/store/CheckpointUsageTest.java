package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointUsage.OwnerUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store keeps the bytes and count of open checkpoints per owner as they change, and after restart. */
class CheckpointUsageTest {

  private static final CheckpointOwner ALICE = new CheckpointOwner("auth:alice", true);
  private static final CheckpointOwner GUEST = new CheckpointOwner("192.0.2.0/24", false);
  private static final CheckpointPolicy POLICY =
      new CheckpointPolicy(8192, Duration.ZERO, Duration.ofHours(48), Duration.ofHours(1));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private FileStore store;

  @AfterEach
  void close() {
    store.close();
  }

  private FileStore open() throws Exception {
    if (store != null) {
      store.close();
    }
    store = FileStore.open(FileStoreConfig.builder(dir).clock(clock).checkpointPolicy(POLICY).build());
    return store;
  }

  private static CheckpointKey key(String transid) {
    return new CheckpointKey("c.example", transid);
  }

  /** Begins and writes {@code size} octets, then leaves the writer to the caller. */
  private MessageWriter writing(CheckpointLease lease, CheckpointOwner owner, int size) throws Exception {
    MessageWriter w = lease.begin(Fixtures.envelope(lease.key().transactionId()), owner);
    byte[] data = Fixtures.message(size, size);
    Fixtures.write(w, data, 0, data.length, 4096);
    return w;
  }

  private void suspended(String transid, CheckpointOwner owner, int size) throws Exception {
    try (CheckpointLease lease = store.tryAcquire(key(transid)).orElseThrow()) {
      await(writing(lease, owner, size).suspend());
    }
  }

  private long messageFileSize(String transid) throws Exception {
    return Files.size(dir.resolve("checkpoints").resolve(key(transid).fileName()).resolve("message"));
  }

  @Test
  void openCheckpointsAreCountedPerOwnerWhileWrittenAndWhenSuspended() throws Exception {
    open();
    try (CheckpointLease lease = store.tryAcquire(key("<w@c>")).orElseThrow()) {
      MessageWriter w = writing(lease, GUEST, 30_000);
      assertThat(store.usage().owner(GUEST.key()))
          .isEqualTo(new OwnerUsage(1, messageFileSize("<w@c>")));
      await(w.suspend());
    }
    suspended("<a1@c>", ALICE, 10_000);
    suspended("<a2@c>", ALICE, 20_000);
    long alice = messageFileSize("<a1@c>") + messageFileSize("<a2@c>");
    assertThat(store.usage().owner(ALICE.key())).isEqualTo(new OwnerUsage(2, alice));
    assertThat(store.usage().totalBytes()).isEqualTo(alice + messageFileSize("<w@c>"));
    assertThat(store.usage().list()).hasSize(3)
        .allSatisfy(c -> assertThat(c.lastActivity()).isEqualTo(java.time.Instant.ofEpochMilli(clock.millis())));
  }

  @Test
  void completionDiscardAndDeleteFreeTheQuota() throws Exception {
    open();
    try (CheckpointLease lease = store.tryAcquire(key("<done@c>")).orElseThrow()) {
      await(writing(lease, GUEST, 10_000).commit());
      assertThat(store.usage().owner(GUEST.key()).open()).as("a tombstone is not open").isZero();
    }
    try (CheckpointLease lease = store.tryAcquire(key("<bad@c>")).orElseThrow()) {
      writing(lease, GUEST, 10_000).discard();
      assertThat(store.usage().owner(GUEST.key()).open()).isZero();
    }
    suspended("<del@c>", GUEST, 10_000);
    try (CheckpointLease lease = store.tryAcquire(key("<del@c>")).orElseThrow()) {
      lease.delete();
    }
    assertThat(store.usage().list()).isEmpty();
    assertThat(store.usage().totalBytes()).isZero();
  }

  /** A resume truncates to the checkpoint and is the same open checkpoint, charged to its stored owner. */
  @Test
  void aResumeIsCountedOnceWithItsTruncatedSize() throws Exception {
    open();
    suspended("<r@c>", ALICE, 50_000);
    try (CheckpointLease lease = store.tryAcquire(key("<r@c>")).orElseThrow()) {
      assertThat(lease.state()).containsInstanceOf(CheckpointState.Interrupted.class);
      MessageWriter w = lease.resume();
      assertThat(store.usage().owner(ALICE.key()))
          .isEqualTo(new OwnerUsage(1, messageFileSize("<r@c>")));
      w.write(java.nio.ByteBuffer.wrap(Fixtures.ascii("more\r\n")), w.size() + 6);
      assertThat(store.usage().owner(ALICE.key()).bytes()).isEqualTo(messageFileSize("<r@c>"));
      await(w.commit());
    }
    assertThat(store.usage().totalBytes()).isZero();
  }

  @Test
  void usageIsRebuiltFromTheJournalsAtStartUp() throws Exception {
    open();
    suspended("<a1@c>", ALICE, 10_000);
    suspended("<g1@c>", GUEST, 20_000);
    try (CheckpointLease lease = store.tryAcquire(key("<done@c>")).orElseThrow()) {
      await(writing(lease, GUEST, 5_000).commit());
    }
    var before = store.usage().list();
    clock.advance(Duration.ofMinutes(5));

    open();
    assertThat(store.usage().owner(ALICE.key()))
        .isEqualTo(new OwnerUsage(1, messageFileSize("<a1@c>")));
    assertThat(store.usage().owner(GUEST.key()))
        .isEqualTo(new OwnerUsage(1, messageFileSize("<g1@c>")));
    assertThat(store.usage().list()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void unauthenticatedOwnersExpireSoonerThanAuthenticatedOnes() throws Exception {
    open();
    suspended("<a1@c>", ALICE, 10_000);
    suspended("<g1@c>", GUEST, 10_000);
    try (CheckpointLease lease = store.tryAcquire(key("<gdone@c>")).orElseThrow()) {
      await(writing(lease, GUEST, 5_000).commit());
    }
    clock.advance(Duration.ofMinutes(59));
    assertThat(store.reapExpired().transactions()).isZero();

    clock.advance(Duration.ofMinutes(2));
    CheckpointStore.ReapResult r = store.reapExpired();
    assertThat(r.transactions()).as("only the guest's open checkpoint").isEqualTo(1);
    assertThat(store.usage().owner(GUEST.key()).open()).isZero();
    assertThat(store.usage().owner(ALICE.key()).open()).isEqualTo(1);
    try (CheckpointLease lease = store.tryAcquire(key("<gdone@c>")).orElseThrow()) {
      assertThat(lease.state()).as("the guest's completion is remembered while its message is queued")
          .containsInstanceOf(CheckpointState.Completed.class);
    }

    clock.advance(Duration.ofHours(47));
    assertThat(store.reapExpired().transactions()).as("Alice's; the guest's message is still queued")
        .isEqualTo(1);
    assertThat(store.usage().list()).isEmpty();
  }

  @Test
  void theDiskProbeSeesTheCheckpointDirectory() throws Exception {
    Path[] asked = new Path[1];
    store = FileStore.open(FileStoreConfig.builder(dir).diskProbe(d -> {
      asked[0] = d;
      return new CheckpointUsage.DiskSpace(1, 2);
    }).build());
    assertThat(store.usage().diskSpace()).isEqualTo(new CheckpointUsage.DiskSpace(1, 2));
    assertThat(asked[0]).isEqualTo(dir.resolve("checkpoints"));
  }
}

package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removal: files recycled through queue/spare/ (package-info, "Recycled files") and what it forces. */
class RecycledFilesTest {

  private static final CheckpointKey KEY = new CheckpointKey("client.example.org", "<r1@client>");

  @TempDir Path dir;
  private FileStore store;
  private final FaultyFileOps ops = new FaultyFileOps();

  private void open() throws Exception {
    store = FileStore.open(FileStoreConfig.builder(dir).fileOps(ops).checkpointPolicy(Fixtures.bytesPolicy(8 * 1024))
        .build());
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aRemovedEntryIsEmptiedAndItsFileCarriesTheNextMessage() throws Exception {
    open();
    String first = queue(Fixtures.message(50_000, 1));
    Object inode = inode(dir.resolve("queue/incoming").resolve(first));
    store.remove(first);

    Path spare = only(dir.resolve("queue/spare"));
    assertThat(Files.size(spare)).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spare))).isEqualTo("rw-------");
    assertThat(inode(spare)).isEqualTo(inode);

    byte[] second = Fixtures.message(3_000, 2);
    String next = queue(second);
    Path entry = dir.resolve("queue/incoming").resolve(next);
    assertThat(inode(entry)).isEqualTo(inode);
    assertThat(children(dir.resolve("queue/spare"))).isEmpty();
    assertThat(Fixtures.queuedSha(store, next)).isEqualTo(Fixtures.sha256(second));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry))).isEqualTo("rw-------");
  }

  @Test
  void aDeletedCheckpointsJournalAndDirectoryAreRecycledAndReusedByTheNextTransaction() throws Exception {
    open();
    byte[] data = Fixtures.message(20_000, 3);
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<r1@client>"));
      Fixtures.write(w, data, 0, data.length, 4096);
      await(w.commit());
      assertThat(lease.state()).containsInstanceOf(CheckpointState.Completed.class);
      lease.delete();
    }
    Path spare = dir.resolve("queue/spare");
    assertThat(children(spare)).hasSize(2);
    Path journal = children(spare).stream().filter(Files::isRegularFile).findFirst().orElseThrow();
    Path keyDir = children(spare).stream().filter(Files::isDirectory).findFirst().orElseThrow();
    assertThat(Files.size(journal)).isZero();
    assertThat(children(keyDir)).isEmpty();
    Object inode = inode(journal);
    Object dirInode = inode(keyDir);

    String second;
    try (CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).isEmpty();
      MessageWriter w = lease.begin(Fixtures.envelope("<r1@client>"));
      second = w.queueId();
      Fixtures.write(w, data, 0, data.length, 4096); // its first checkpoint creates <h>
      await(w.commit());
      assertThat(inode(dir.resolve("checkpoints").resolve(KEY.fileName()))).isEqualTo(dirInode);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          dir.resolve("checkpoints").resolve(KEY.fileName())))).isEqualTo("rwx------");
      assertThat(lease.state()).contains(
          new CheckpointState.Completed(Fixtures.envelope("<r1@client>"), second, data.length));
      assertThat(Fixtures.queuedSha(store, second)).isEqualTo(Fixtures.sha256(data));
    }
    // The new transaction's message took the recycled file (the journal, created later, a new one).
    assertThat(inode(dir.resolve("queue/incoming").resolve(second))).isEqualTo(inode);
  }

  @Test
  void aRemovalWhoseForceFailsLeavesTheFileWholeAndOutOfThePool() throws Exception {
    open();
    byte[] data = Fixtures.message(10_000, 4);
    String qid = queue(data);
    ops.failDirForce = ops.dirForces.get() + 1;
    assertThatThrownBy(() -> store.remove(qid)).hasMessageContaining("injected");

    Path spare = only(dir.resolve("queue/spare"));
    assertThat(Files.size(spare)).isGreaterThan(data.length); // not emptied: the removal may not be durable
    String next = queue(Fixtures.message(100, 5));
    assertThat(inode(dir.resolve("queue/incoming").resolve(next))).isNotEqualTo(inode(spare));
  }

  @Test
  void aClaimIsNotForcedButTheRemovalAfterItForcesIncomingToo() throws Exception {
    open();
    String qid = queue(Fixtures.message(1_000, 6));
    int before = ops.forcedDirs.size();
    store.claimIncoming(qid);
    assertThat(store.locate(qid)).contains(QueueState.ACTIVE);
    assertThat(ops.forcedDirs.subList(before, ops.forcedDirs.size())).isEmpty();

    store.remove(qid);
    // One round: active/ (the removal) and incoming/ (the unforced claim and the part file's rename).
    assertThat(ops.forcedDirs.subList(before, ops.forcedDirs.size()))
        .containsExactlyInAnyOrder(dir.resolve("queue/active"), dir.resolve("queue/incoming"));
  }

  @Test
  void leavingActiveForcesIncomingToo() throws Exception {
    open();
    String qid = queue(Fixtures.message(1_000, 7));
    store.claimIncoming(qid);
    int before = ops.forcedDirs.size();
    store.move(qid, QueueState.ACTIVE, QueueState.DEFERRED);
    assertThat(ops.forcedDirs.subList(before, ops.forcedDirs.size())).containsExactlyInAnyOrder(
        dir.resolve("queue/deferred"), dir.resolve("queue/active"), dir.resolve("queue/incoming"));
  }

  @Test
  void startUpEmptiesTheSpareDirectory() throws Exception {
    open();
    List<String> queued = List.of(queue(Fixtures.message(1_000, 1)), queue(Fixtures.message(1_000, 2)),
        queue(Fixtures.message(1_000, 3)));
    for (String qid : queued) {
      store.remove(qid);
    }
    assertThat(children(dir.resolve("queue/spare"))).hasSize(3);
    store.close();

    open();
    assertThat(children(dir.resolve("queue/spare"))).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  private String queue(byte[] data) throws Exception {
    MessageWriter w = store.begin(Fixtures.envelope(null));
    Fixtures.write(w, data, 0, data.length, 8192);
    await(w.commit());
    return w.queueId();
  }

  private static Object inode(Path p) throws Exception {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  private static Path only(Path dir) throws Exception {
    List<Path> files = children(dir);
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private static List<Path> children(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}

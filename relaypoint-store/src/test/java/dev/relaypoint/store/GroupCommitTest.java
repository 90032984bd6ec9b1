package dev.relaypoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.store.internal.Committer;
import dev.relaypoint.store.internal.FileOps;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

  @TempDir Path dir;

  @Test
  void fiftyConcurrentCommitsAllLandAndShareDirectoryForces() throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    int sessions = 50;
    try (FileStore store = FileStore.open(FileStoreConfig.builder(dir).fileOps(ops).build())) {
      List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
      store.onCommitted(announced::add);
      ops.dirForceDelayMillis = 20; // a slow disk, so commits pile up behind each fsync
      int dirForcesBefore = ops.dirForces.get();
      CyclicBarrier start = new CyclicBarrier(sessions);
      ExecutorService pool = Executors.newFixedThreadPool(sessions);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        int n = i;
        results.add(pool.submit(() -> {
          byte[] data = Fixtures.message(20_000 + n, n);
          MessageWriter w = store.begin(Fixtures.envelope(null));
          Fixtures.write(w, data, 0, data.length, 4096);
          start.await(10, TimeUnit.SECONDS);
          CompletableFuture<Void> done = w.commit().toCompletableFuture();
          done.get(20, TimeUnit.SECONDS);
          assertThat(Fixtures.queuedSha(store, w.queueId())).isEqualTo(Fixtures.sha256(data));
          return w.queueId();
        }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : results) {
        ids.add(f.get(30, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertThat(store.list()).containsExactlyInAnyOrderElementsOf(ids).hasSize(sessions);
      Fixtures.eventually(() -> assertThat(announced).containsExactlyInAnyOrderElementsOf(ids));
      int dirForces = ops.dirForces.get() - dirForcesBefore;
      assertThat(dirForces).as("directory fsyncs for %d commits", sessions)
          .isPositive().isLessThan(sessions / 2);
    }
  }

  @Test
  void aBatchForcesItsFilesConcurrently() throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    List<FileChannel> files = openFiles(ops, 6);
    try (Committer committer = new Committer(ops)) {
      ops.forceDelayMillis = 50; // long enough that forces of one batch must overlap to finish in time
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (FileChannel ch : files) {
        done.add(committer.force(List.of(ch), List.of(dir)));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(ops.maxForcesInFlight.get()).as("file forces in flight at once").isGreaterThan(1);
    } finally {
      files.forEach(GroupCommitTest::closeQuietly);
    }
  }

  @Test
  void aFailedForceFailsOnlyTheRequestsThatNamedItsFile() throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    List<FileChannel> files = openFiles(ops, 4);
    FileChannel gate = files.get(0);
    FileChannel good = files.get(1);
    FileChannel bad = files.get(2);
    FileChannel other = files.get(3);
    ops.failingChannels.add(bad);
    Path goodDir = Files.createDirectory(dir.resolve("good"));
    Path badDir = Files.createDirectory(dir.resolve("bad"));
    try (Committer committer = new Committer(ops)) {
      // The first request holds the committer, so the next four are drained as one batch.
      ops.forceDelayMillis = 300;
      CompletableFuture<Void> first = committer.forceFile(gate);
      Thread.sleep(100);
      CompletableFuture<Void> onlyGood = committer.force(List.of(good), List.of(goodDir));
      CompletableFuture<Void> onlyBad = committer.force(List.of(bad), List.of(badDir));
      CompletableFuture<Void> both = committer.force(List.of(other, bad), List.of(goodDir));
      CompletableFuture<Void> dirsOnly = committer.forceDirs(goodDir);
      first.get(10, TimeUnit.SECONDS);
      int dirForcesBefore = ops.dirForces.get();
      onlyGood.get(10, TimeUnit.SECONDS);
      dirsOnly.get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> onlyBad.get(10, TimeUnit.SECONDS))
          .hasMessageContaining("injected failure of a chosen channel");
      assertThatThrownBy(() -> both.get(10, TimeUnit.SECONDS))
          .hasMessageContaining("injected failure of a chosen channel");
      // Files and directories are forced together (Committer): each distinct directory once.
      assertThat(ops.dirForces.get() - dirForcesBefore).as("goodDir and badDir, once each for the batch")
          .isEqualTo(2);
    } finally {
      files.forEach(GroupCommitTest::closeQuietly);
    }
  }

  private List<FileChannel> openFiles(FileOps ops, int n) throws Exception {
    List<FileChannel> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FileChannel ch = ops.createFile(dir.resolve("f" + i));
      ops.write(ch, ByteBuffer.wrap(Fixtures.ascii("data " + i + "\r\n")));
      files.add(ch);
    }
    return files;
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (java.io.IOException ignored) {
      // test cleanup
    }
  }
}

package dev.relaypoint.store;

import static org.assertj.core.api.Assertions.assertThat;

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
}

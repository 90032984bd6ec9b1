package dev.relaypoint.store.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one batch's forces at the same time on a small fixed pool and waits for all of them. Used
 * only by the committer thread, which still decides what a batch is: its files and directories
 * together, then the futures. Concurrency is bounded by the pool size, so a large batch never
 * starts more fsyncs at once than the disk queue can use.
 */
final class ParallelForces {

  interface Force<T> {
    void run(T target) throws IOException;
  }

  private final ExecutorService pool;

  ParallelForces(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "relaypoint-force-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Forces every key of {@code targets} and stores its failure (or null) as the key's value. A
   * single target is forced on the calling thread: handing it to the pool would only add latency.
   */
  <T> void run(Map<T, IOException> targets, Force<T> force) {
    if (targets.size() == 1) {
      T only = targets.keySet().iterator().next();
      targets.put(only, attempt(force, only));
      return;
    }
    List<T> keys = new ArrayList<>(targets.keySet());
    List<Callable<IOException>> tasks = new ArrayList<>(keys.size());
    for (T key : keys) {
      tasks.add(() -> attempt(force, key));
    }
    List<Future<IOException>> results;
    try {
      results = pool.invokeAll(tasks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      keys.forEach(k -> targets.put(k, new IOException("interrupted while forcing", e)));
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      targets.put(keys.get(i), outcome(results.get(i)));
    }
  }

  void shutdown() {
    pool.shutdown();
  }

  private static IOException outcome(Future<IOException> f) {
    try {
      return f.get(); // invokeAll returned, so this never waits
    } catch (ExecutionException e) {
      return new IOException("force failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IOException("interrupted while forcing", e);
    } catch (java.util.concurrent.CancellationException e) {
      return new IOException("force was cancelled", e);
    }
  }

  /** Returns the failure, or null when the force succeeded. */
  private static <T> IOException attempt(Force<T> force, T target) {
    try {
      force.run(target);
      return null;
    } catch (IOException e) {
      return e;
    } catch (RuntimeException e) {
      return new IOException("force failed", e);
    }
  }
}

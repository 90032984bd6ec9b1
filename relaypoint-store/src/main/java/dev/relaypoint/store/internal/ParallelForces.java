package dev.relaypoint.store.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one batch's forces at the same time on a small fixed pool and waits for all of them. Used
 * only by the committer thread, which still decides what a batch is: its files and directories
 * together, then the futures. Concurrency is bounded by the pool size plus the caller, so a large batch never
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
   * Forces every key of {@code targets} and stores its failure (or null) as the key's value. The
   * first target is forced on the calling thread while the pool forces the rest: every hand-off to
   * another thread is a wake-up and a context switch, which on this kind of virtual machine cost
   * more CPU than the fsync's own work (perf: a quarter of all CPU in the scheduler).
   */
  <T> void run(Map<T, IOException> targets, Force<T> force) {
    List<T> keys = new ArrayList<>(targets.keySet());
    if (keys.isEmpty()) {
      return;
    }
    List<Future<IOException>> others = new ArrayList<>(keys.size() - 1);
    for (T key : keys.subList(1, keys.size())) {
      others.add(pool.submit(() -> attempt(force, key)));
    }
    targets.put(keys.get(0), attempt(force, keys.get(0)));
    for (int i = 1; i < keys.size(); i++) {
      targets.put(keys.get(i), outcome(others.get(i - 1)));
    }
  }

  void shutdown() {
    pool.shutdown();
  }

  private static IOException outcome(Future<IOException> f) {
    try {
      return f.get();
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

package dev.relaypoint.server.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Store work that outlives its connection (the last checkpoint of a broken transfer) or need not
 * hold up the session (deleting a completed transaction's state). Shutdown waits for it, so a
 * SIGTERM in the middle of a transfer leaves it resumable at the latest line.
 */
final class PendingWork implements AutoCloseable {

  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  /**
   * Blocking store calls that must not run on an event loop: a session's next command must not wait
   * for a committer round that only tidies up after the previous message.
   */
  private final ExecutorService background = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "relaypoint-checkpoint-cleanup");
    t.setDaemon(true);
    return t;
  });

  void track(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    pending.add(f);
    f.whenComplete((v, e) -> pending.remove(f));
  }

  /** Runs {@code task} on a background thread and tracks it; inline once the server is closing. */
  void runInBackground(Runnable task) {
    try {
      track(CompletableFuture.runAsync(task, background));
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  @Override
  public void close() {
    background.shutdown();
  }

  /** Waits up to {@code grace} for everything tracked so far. */
  void await(Duration grace) {
    CompletableFuture<?> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    try {
      all.get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // failures were logged where they happened; shutdown goes on
    }
  }
}

package dev.relaypoint.server.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Store work that outlives its connection (the last checkpoint of a broken transfer). Shutdown waits
 * for it, so a SIGTERM in the middle of a transfer leaves it resumable at the latest line.
 */
final class PendingWork {

  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  void track(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    pending.add(f);
    f.whenComplete((v, e) -> pending.remove(f));
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

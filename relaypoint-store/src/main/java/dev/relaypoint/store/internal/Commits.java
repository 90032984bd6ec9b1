package dev.relaypoint.store.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** How every writer ends a commit: clean up, report the outcome, and announce a durable entry once. */
final class Commits {

  private Commits() {}

  /**
   * Completes when {@code chain} does: {@code always} runs first; on failure {@code onFailure} runs and
   * the unwrapped cause is reported; on success the listeners hear of {@code queueId} after the stage
   * completed, so nobody is told of an entry before its commit is durable.
   */
  static CompletionStage<Void> finish(CompletableFuture<Void> chain, Runnable always, Runnable onFailure,
      Listeners listeners, String queueId) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    chain.whenComplete((v, e) -> {
      always.run();
      if (e != null) {
        onFailure.run();
        result.completeExceptionally(SafeFiles.cause(e));
      } else {
        result.complete(null);
        listeners.fire(queueId);
      }
    });
    return result;
  }
}

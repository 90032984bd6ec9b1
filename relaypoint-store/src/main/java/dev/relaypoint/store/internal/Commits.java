package dev.relaypoint.store.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every writer ends a commit: clean up, report the outcome, and announce a durable entry once. */
final class Commits {

  private static final Logger log = LoggerFactory.getLogger(Commits.class);

  private Commits() {}

  /** When the commit's stage completes relative to the steps that make a durable entry visible. */
  enum Ack {
    /** Visibility is one cheap rename: do it first, so a completed commit is already listed. */
    AFTER_PUBLISH,
    /** Visibility takes another committer round: acknowledge first, publish in the background. */
    BEFORE_PUBLISH
  }

  /**
   * Once {@code durable} completes the message survives any crash (recovery publishes it), so the
   * returned stage completes successfully even if {@code publish} fails; when is set by {@code ack}.
   * If {@code durable} fails, {@code always} and then {@code onFailure} run and the unwrapped cause
   * is reported. After a successful publish {@code always} runs and then the listeners hear of
   * {@code queueId}, so nobody is told of an entry before it is durable and visible.
   */
  static CompletionStage<Void> finish(CompletableFuture<Void> durable, Supplier<CompletableFuture<Void>> publish,
      Ack ack, Runnable always, Runnable onFailure, Listeners listeners, String queueId) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    durable.whenComplete((v, e) -> {
      if (e != null) {
        always.run();
        onFailure.run();
        result.completeExceptionally(SafeFiles.cause(e));
        return;
      }
      if (ack == Ack.BEFORE_PUBLISH) {
        result.complete(null);
      }
      publish.get().whenComplete((x, pe) -> {
        always.run();
        result.complete(null); // no-op when already acknowledged
        if (pe == null) {
          listeners.fire(queueId);
        } else {
          log.warn("{} is durable but could not be made visible; recovery at the next start (or the "
              + "checkpoint inspector) finishes it", queueId, SafeFiles.cause(pe));
        }
      });
    });
    return result;
  }
}

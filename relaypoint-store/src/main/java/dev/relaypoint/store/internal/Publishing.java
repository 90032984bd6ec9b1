package dev.relaypoint.store.internal;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Checkpointed commits whose background steps (rename into the queue, COMPLETED) still run after
 * the 250. Whoever reads or changes a checkpoint directory waits here first, so a lost-reply resend,
 * a QUIT's delete or the reaper never sees the directory half-way through those steps.
 */
final class Publishing {

  private final ConcurrentMap<Path, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  /**
   * Registers {@code published} for {@code dir} until it succeeds; a failure stays registered until
   * {@link #settled}, so the next user of the directory knows to repair it.
   */
  void track(Path dir, CompletableFuture<Void> published) {
    inFlight.put(dir, published);
    published.thenRun(() -> inFlight.remove(dir, published));
  }

  /** The inspector has finished what a failed publish left. */
  void settled(Path dir) {
    inFlight.remove(dir);
  }

  /**
   * Waits until nothing is published for {@code dir}. False when the background steps failed, so the
   * caller must let the inspector finish them. Never call it on the committer thread.
   */
  boolean await(Path dir) {
    CompletableFuture<Void> f = inFlight.get(dir);
    return f == null || f.handle((v, e) -> e == null).join();
  }
}

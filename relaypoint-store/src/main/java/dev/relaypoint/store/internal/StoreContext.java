package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointPolicy;
import java.time.Clock;

/** What every part of the store shares; one per open FileStore. */
public record StoreContext(
    StoreLayout layout,
    SafeFiles files,
    CheckpointPolicy policy,
    Clock clock,
    QueueIds ids,
    Listeners listeners,
    Publishing publishing,
    SparePool spares,
    QueuedCompletions completions) {

  public FileOps ops() {
    return files.ops();
  }

  public Committer committer() {
    return files.committer();
  }
}

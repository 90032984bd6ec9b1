package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Transactions that completed without ever reaching a checkpoint: their message went straight into
 * the queue, and the queue entry, tagged with the key ({@link TransactionTag}), is their completion
 * record for as long as it is queued. This is the in-memory index of those tags, rebuilt by
 * {@link Recovery}; when such an entry leaves the queue while its key is still remembered, the
 * store writes an ordinary tombstone journal first ({@link Tombstones}). package-info, "Transactions
 * that never reach a checkpoint", has the rules.
 */
final class QueuedCompletions {

  /** What a tombstone needs, kept from the commit (or read from the entry by recovery). */
  record Completion(String keyFileName, String queueId, Envelope envelope, CheckpointOwner owner,
      long size, int crc, long at) {}

  private final Map<String, Completion> byKey = new HashMap<>();
  private final Map<String, String> keyByQueueId = new HashMap<>();
  /** Keys whose tombstone is being written; their checkpoint directory is not to be touched. */
  private final Map<String, CompletableFuture<Void>> recording = new HashMap<>();

  /** The message of {@code c} is durable in the queue; a later one for the same key wins. */
  synchronized void add(Completion c) {
    Completion old = byKey.get(c.keyFileName());
    if (old != null && old.queueId().compareTo(c.queueId()) > 0) {
      return; // recovery may meet a reused key's entries in any order; queue ids sort by time
    }
    byKey.put(c.keyFileName(), c);
    keyByQueueId.put(c.queueId(), c.keyFileName());
  }

  /**
   * The completion remembered for {@code key}, after any tombstone being written for it is on disk
   * (then it is the checkpoint directory's to say). Never call it on the committer thread.
   */
  Optional<Completion> find(String key) {
    while (true) {
      CompletableFuture<Void> pending;
      synchronized (this) {
        pending = recording.get(key);
        if (pending == null) {
          return Optional.ofNullable(byKey.get(key));
        }
      }
      pending.join();
    }
  }

  /** The client has seen the outcome: the key is forgotten, and its entry leaves without a tombstone. */
  void forget(String key) {
    find(key).ifPresent(c -> {
      synchronized (this) {
        byKey.remove(key, c);
        keyByQueueId.remove(c.queueId(), key);
      }
    });
  }

  /**
   * Called before entry {@code queueId} leaves the queue: if it is still the remembered completion
   * of its key, runs {@code tombstone} (which must make the completion durable elsewhere) before
   * returning, and forgets it only if that succeeded.
   */
  void beforeRemoval(String queueId, TombstoneWriter tombstone) throws IOException {
    Completion c;
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      String key = keyByQueueId.get(queueId);
      c = key == null ? null : byKey.get(key);
      if (c == null || !c.queueId().equals(queueId)) {
        keyByQueueId.remove(queueId);
        return;
      }
      recording.put(key, done);
    }
    boolean written = false;
    try {
      tombstone.write(c);
      written = true;
    } finally {
      synchronized (this) {
        recording.remove(c.keyFileName());
        if (written) {
          byKey.remove(c.keyFileName());
          keyByQueueId.remove(queueId);
        }
      }
      done.complete(null);
    }
  }

  /**
   * Runs {@code action} (the reaper's look at a checkpoint directory, and its deletion) unless a
   * tombstone is being written into that directory; false if it did not run or said false. Holds
   * the lock meanwhile, so no tombstone starts.
   */
  synchronized boolean unlessRecording(String key, IoCondition action) throws IOException {
    return !recording.containsKey(key) && action.test();
  }

  synchronized int size() {
    return byKey.size();
  }

  @FunctionalInterface
  interface IoCondition {
    boolean test() throws IOException;
  }

  @FunctionalInterface
  interface TombstoneWriter {
    void write(Completion c) throws IOException;
  }
}

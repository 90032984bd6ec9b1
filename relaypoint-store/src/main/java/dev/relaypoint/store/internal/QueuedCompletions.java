package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Transactions that completed without ever reaching a checkpoint: their message went straight into
 * the queue, and the entry file, tagged with the key ({@link TransactionTag}), is their completion
 * record: while it is queued, and after delivery in {@code queue/done/} until the client shows it
 * saw the 250 or the reaper replaces it with a tombstone journal ({@link Tombstones}). This is the
 * in-memory index of those files, rebuilt by {@link Recovery}. package-info, "Transactions that never
 * reach a checkpoint", has the rules.
 */
final class QueuedCompletions {

  /** What a tombstone needs, kept from the commit (or read from the entry by recovery). */
  record Completion(String keyFileName, String queueId, Envelope envelope, CheckpointOwner owner,
      long size, int crc, long at) {}

  private final Map<String, Completion> byKey = new HashMap<>();
  private final Map<String, String> keyByQueueId = new HashMap<>();
  /** Remembered completions whose entry is in {@code queue/done/}. */
  private final Set<String> done = new HashSet<>();
  /** Entries being moved to {@code queue/done/}, remembered or forgotten meanwhile. */
  private final Set<String> moving = new HashSet<>();
  /** Keys whose tombstone is being written; their checkpoint directory is not to be touched. */
  private final Map<String, CompletableFuture<Void>> recording = new HashMap<>();

  /** The message of {@code c} is durable in the queue; a later one for the same key wins. */
  synchronized void add(Completion c) {
    Completion old = byKey.get(c.keyFileName());
    if (old != null && old.queueId().compareTo(c.queueId()) > 0) {
      return; // recovery may meet a reused key's entries in any order; queue ids sort by time
    }
    if (old != null) {
      keyByQueueId.remove(old.queueId());
      done.remove(old.queueId());
    }
    byKey.put(c.keyFileName(), c);
    keyByQueueId.put(c.queueId(), c.keyFileName());
  }

  /** Recovery: {@code c}'s entry is in {@code queue/done/}. */
  synchronized void addDone(Completion c) {
    add(c);
    if (keyByQueueId.containsKey(c.queueId())) {
      done.add(c.queueId());
    }
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

  /** What {@link #forget} forgot: {@code done} when the caller is to delete its done file now. */
  record Forgotten(String queueId, boolean done) {}

  /** The client has seen the outcome: the key is forgotten. */
  Optional<Forgotten> forget(String key) {
    Optional<Completion> c = find(key);
    if (c.isEmpty()) {
      return Optional.empty();
    }
    String qid = c.get().queueId();
    synchronized (this) {
      if (!byKey.remove(key, c.get())) {
        return Optional.empty();
      }
      keyByQueueId.remove(qid, key);
      return Optional.of(new Forgotten(qid, done.remove(qid)));
    }
  }

  /**
   * Entry {@code queueId} is leaving the queue. True if it is the remembered completion of its key:
   * the caller moves it to {@code queue/done/} instead of removing it, then calls {@link #moved} or
   * {@link #keepFailed}.
   */
  synchronized boolean keepAsDone(String queueId) {
    String key = keyByQueueId.get(queueId);
    Completion c = key == null ? null : byKey.get(key);
    if (c == null || !c.queueId().equals(queueId)) {
      keyByQueueId.remove(queueId);
      return false;
    }
    moving.add(queueId);
    return true;
  }

  /**
   * The entry is durably in {@code queue/done/}. False if its key was forgotten meanwhile: then the
   * caller deletes the done file (the forgetting {@code delete()} found none to delete).
   */
  synchronized boolean moved(String queueId) {
    moving.remove(queueId);
    if (!keyByQueueId.containsKey(queueId)) {
      return false;
    }
    done.add(queueId);
    return true;
  }

  /** The move to {@code queue/done/} failed: the entry is still queued. */
  synchronized void keepFailed(String queueId) {
    moving.remove(queueId);
  }

  /** A done file that is not {@link #done} but being moved there now: not an orphan. */
  synchronized boolean isMoving(String queueId) {
    return moving.contains(queueId);
  }

  /** The remembered completion whose entry is {@code queue/done/<queueId>}, if any. */
  synchronized Optional<Completion> done(String queueId) {
    String key = keyByQueueId.get(queueId);
    return key != null && done.contains(queueId) ? Optional.ofNullable(byKey.get(key)) : Optional.empty();
  }

  /**
   * Replaces the remembered completion of done entry {@code c} with a tombstone journal:
   * {@code tombstone} must make it durable before this returns; the key's {@code state()},
   * {@code begin()} and {@code delete()} wait meanwhile. It is forgotten only if that succeeded.
   */
  void replaceWithTombstone(Completion c, TombstoneWriter tombstone) throws IOException {
    CompletableFuture<Void> finished = new CompletableFuture<>();
    synchronized (this) {
      if (byKey.get(c.keyFileName()) != c) {
        return;
      }
      recording.put(c.keyFileName(), finished);
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
          keyByQueueId.remove(c.queueId());
          done.remove(c.queueId());
        }
      }
      finished.complete(null);
    }
  }

  /** Retention is over: forgets {@code c} without a tombstone. */
  synchronized void expire(Completion c) {
    if (byKey.remove(c.keyFileName(), c)) {
      keyByQueueId.remove(c.queueId());
      done.remove(c.queueId());
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

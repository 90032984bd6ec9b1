package dev.relaypoint.store;

import java.util.Optional;

/**
 * Durable RFC 1845 transaction state. Completing a transaction and recording the completion is one
 * durable step: a crash at any point leaves the message either still resumable or queued exactly
 * once with its completion recorded; never both, never neither.
 */
public interface CheckpointStore {

  /** Takes the key for one session; empty when another live session holds it. */
  Optional<CheckpointLease> tryAcquire(CheckpointKey key);

  /**
   * Deletes interrupted and completed transactions whose last activity is older than their retention
   * ({@link CheckpointPolicy#retentionOf}), except those leased now. Returns what was freed.
   */
  ReapResult reapExpired();

  /** What open checkpoints cost now, per owner and in total, and the disk's free space. */
  CheckpointUsage usage();

  record ReapResult(int transactions, long bytes) {}
}

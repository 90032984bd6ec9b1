package dev.relaypoint.store;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What open checkpoints cost now: an open checkpoint is a stored RFC 1845 transaction that is not
 * completed (being received, or interrupted and resumable). Kept in memory as checkpoints begin, grow,
 * complete, are discarded, deleted, reaped or quarantined, and rebuilt from the journals at start-up,
 * so every query is cheap. Completion tombstones are not open: their data is in the queue.
 */
public interface CheckpointUsage {

  /** Open checkpoints and their bytes for one owner key (zero for an unknown owner). */
  OwnerUsage owner(String ownerKey);

  /** Bytes of all open checkpoints. */
  long totalBytes();

  /** A snapshot of every open checkpoint, in no particular order. */
  List<OpenCheckpoint> list();

  /** Free and total space of the file system that holds the checkpoints (asked each call). */
  DiskSpace diskSpace() throws IOException;

  record OwnerUsage(int open, long bytes) {}

  /**
   * @param id           the checkpoint's directory name (hashed key; appears in logs and corrupt/)
   * @param bytes        size of its message file on disk
   * @param lastActivity last data written, or the newest journal record at start-up
   */
  record OpenCheckpoint(String id, CheckpointOwner owner, long bytes, Instant lastActivity) {}

  record DiskSpace(long usable, long total) {}
}

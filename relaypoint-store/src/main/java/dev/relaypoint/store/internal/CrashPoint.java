package dev.relaypoint.store.internal;

/**
 * Named steps of the commit protocols at which {@link FileOps#reached} is called, so tests can
 * simulate a crash exactly there and check what recovery makes of the disk.
 */
public enum CrashPoint {
  /** Trailer written and the message file forced; nothing renamed yet. */
  AFTER_DATA_FORCE,
  /** Checkpointed commit: journal with OPEN is durable; message not renamed yet. */
  AFTER_OPEN,
  /** rename(2) into queue/incoming done; directories not forced yet. */
  AFTER_RENAME,
  /** Checkpointed commit: COMPLETED appended and forced; stage not completed yet. */
  AFTER_COMPLETED
}

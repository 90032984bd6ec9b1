package dev.relaypoint.store.internal;

/**
 * Named steps of the commit protocols at which {@link FileOps#reached} is called, so tests can
 * simulate a crash exactly there and check what recovery makes of the disk.
 */
public enum CrashPoint {
  /** The commit's round is done (trailer, file and directory entries forced); nothing renamed yet. */
  AFTER_DATA_FORCE,
  /**
   * Plain: renamed from the part file to {@code <qid>}, nobody notified yet. Checkpointed: renamed
   * into {@code incoming/.<qid>.part}, COMPLETED not yet written, nothing forced.
   */
  AFTER_RENAME,
  /** Checkpointed commit: COMPLETED and both directories forced; not yet renamed to {@code <qid>}. */
  AFTER_COMPLETED
}

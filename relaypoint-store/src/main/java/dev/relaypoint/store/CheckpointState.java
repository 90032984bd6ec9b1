package dev.relaypoint.store;

/** What is durably stored for one RFC 1845 transaction. */
public sealed interface CheckpointState {

  /** The envelope as it was stored when the data transfer began. */
  Envelope envelope();

  /**
   * Data transfer was interrupted. {@code offset} is the number of canonical message octets that are
   * durably stored (forced to disk) and end at a line end, so it is always at the start of a line.
   */
  record Interrupted(Envelope envelope, long offset) implements CheckpointState {}

  /**
   * The message was completed and queued as {@code queueId}, {@code size} canonical octets long. This is
   * the tombstone that makes a resent final dot idempotent (lost final reply, RFC 1047).
   */
  record Completed(Envelope envelope, String queueId, long size) implements CheckpointState {}
}

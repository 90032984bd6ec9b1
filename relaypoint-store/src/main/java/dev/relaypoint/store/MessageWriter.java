package dev.relaypoint.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Streams one message's canonical octets (CRLF line ends, dot-stuffing removed, terminator excluded)
 * to disk as they arrive. Not thread-safe: one session calls it from one thread at a time. Memory use
 * is bounded and independent of the message size.
 */
public interface MessageWriter {

  /** The queue id this message will have once committed (stable across resumes). */
  String queueId();

  /** Canonical octets written so far, including those restored by a resume. */
  long size();

  /**
   * Appends {@code data} (all remaining bytes). {@code lineAlignedSize} is the total canonical size at
   * the end of the last complete line (CRLF) written so far, after this write; checkpoints never record
   * more than that. For a checkpointed writer this may start a checkpoint in the background when the
   * policy says so; it never blocks on fsync.
   */
  void write(ByteBuffer data, long lineAlignedSize) throws IOException;

  /**
   * Makes the message durable: data and its directory entry forced, so it survives any crash; only
   * when the stage completes (on a store thread) may the server answer 250. A plain message is then
   * already listed in the queue. For a checkpointed writer the durable message file is itself the
   * record of completion (see {@link CheckpointStore}); moving it into the queue and writing the
   * journal's COMPLETED follow right after, and {@link CheckpointLease#state()} waits for them.
   */
  CompletionStage<Void> commit();

  /**
   * The transfer stopped without completing (connection lost, timeout, shutdown). A plain writer
   * deletes its partial file. A checkpointed writer makes what it has durable (a last checkpoint at
   * the last line end) so the client can resume; the returned stage completes when that is done.
   */
  CompletionStage<Void> suspend();

  /** The message is rejected (bad data, too large): delete everything, including any checkpoint. */
  void discard();
}

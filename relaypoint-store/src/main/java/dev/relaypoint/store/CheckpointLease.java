package dev.relaypoint.store;

import java.io.IOException;
import java.util.Optional;

/**
 * Exclusive ownership of one {@link CheckpointKey} by one live session, so that no two sessions ever
 * write the same transaction. Released by {@link #close()}; the stored state stays.
 */
public interface CheckpointLease extends AutoCloseable {

  CheckpointKey key();

  /**
   * What is stored for the key now, if anything. Call it before {@link #begin} or {@link #resume}, not
   * while a writer of this lease is still writing: it settles the directory as recovery would.
   */
  Optional<CheckpointState> state();

  /**
   * Starts a fresh checkpointed transaction under this key, charged to {@code owner} (recorded in the
   * journal; see {@link CheckpointUsage}); any stored state must have been deleted first. The writer's
   * data goes straight to disk; the journal is created lazily at the first checkpoint or at commit.
   */
  MessageWriter begin(Envelope envelope, CheckpointOwner owner) throws IOException;

  /** {@link #begin(Envelope, CheckpointOwner)} charged to {@link CheckpointOwner#derivedFrom}. */
  default MessageWriter begin(Envelope envelope) throws IOException {
    return begin(envelope, CheckpointOwner.derivedFrom(envelope));
  }

  /**
   * Continues an {@link CheckpointState.Interrupted} transaction: the stored data is truncated to the
   * recorded offset and the returned writer appends after it ({@code size() == offset}).
   *
   * @throws IllegalStateException if the state is not Interrupted
   */
  MessageWriter resume() throws IOException;

  /** Forgets the stored state for this key (RSET, new MAIL or QUIT by its owner). */
  void delete() throws IOException;

  @Override
  void close();
}

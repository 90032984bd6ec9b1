package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.wire.DataDecoder;
import dev.relaypoint.smtp.wire.DataDecoder.Status;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointState;
import dev.relaypoint.store.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one message's data after 354: decodes it strictly, streams canonical octets to the writer,
 * and at end-of-data answers only after the store says the message is durable ("250 means durable").
 * A message that breaks a limit is read to its end and then refused, so the session stays in step.
 */
final class DataReceiver {

  private static final Logger LOG = LoggerFactory.getLogger(DataReceiver.class);

  private final Session session;
  private final DataDecoder decoder;
  private final long maxSize;
  private final Optional<CheckpointState.Completed> replayOf;
  private final BooleanSupplier overQuota;
  private MessageWriter writer;
  private Reply failure;

  private DataReceiver(Session session, DataDecoder decoder, MessageWriter writer, long maxSize,
      Optional<CheckpointState.Completed> replayOf, BooleanSupplier overQuota) {
    this.session = session;
    this.overQuota = overQuota;
    this.decoder = decoder;
    this.writer = writer;
    this.maxSize = maxSize;
    this.replayOf = replayOf;
  }

  /** {@code overQuota} is asked after each write; when it says so the message is discarded at once (452). */
  static DataReceiver store(Session session, DataDecoder decoder, MessageWriter writer, long maxSize,
      BooleanSupplier overQuota) {
    return new DataReceiver(session, decoder, writer, maxSize, Optional.empty(), overQuota);
  }

  /** The message was already completed: accept only its terminator and repeat the original reply. */
  static DataReceiver replay(Session session, DataDecoder decoder, CheckpointState.Completed done) {
    return new DataReceiver(session, decoder, null, done.size(), Optional.of(done), () -> false);
  }

  /** Consumes buffered input; returns true when data mode is over (the reply may still be pending). */
  boolean consume(ByteBuf in, SessionOutput out) {
    Status status = decoder.decode(in, this::content);
    if (status == Status.NEED_MORE) {
      return false;
    }
    if (status == Status.BARE_NEWLINE) {
      discard();
      out.replyAndClose(Replies.BARE_NEWLINE_DATA);
      return true;
    }
    finish(out);
    return true;
  }

  private void content(ByteBuf canonical) {
    if (failure != null) {
      return; // keep reading to end-of-data, store nothing more
    }
    if (decoder.size() > maxSize) {
      failure = replayOf.isPresent() ? Replies.EXTRA_DATA_AFTER_COMPLETION : Replies.SIZE_EXCEEDED;
      discard();
      return;
    }
    if (writer == null) {
      return;
    }
    try {
      writer.write(canonical.nioBuffer(), Math.min(decoder.lineAlignedSize(), decoder.size()));
      if (overQuota.getAsBoolean()) {
        failure = Replies.CHECKPOINT_STORAGE;
        discard();
      }
    } catch (IOException e) {
      LOG.error("cannot write message data: {}", e.toString());
      failure = Replies.STORAGE_ERROR;
      discard();
    }
  }

  private void finish(SessionOutput out) {
    if (failure == null && decoder.lineTooLong()) {
      failure = Replies.DATA_LINE_TOO_LONG;
      discard();
    }
    if (failure != null) {
      session.endTransaction();
      out.reply(failure);
      return;
    }
    if (replayOf.isPresent()) {
      // The lost-final-reply case: same queue id, nothing queued twice. The tombstone stays owned.
      session.endTransaction();
      out.reply(Replies.queued(replayOf.get().queueId()));
      return;
    }
    MessageWriter committing = writer;
    out.pauseInput();
    session.server().pending().track(committing.commit().whenComplete((ok, error) -> out.executor().execute(() -> {
      if (error != null) {
        LOG.error("cannot commit message {}: {}", committing.queueId(), error.toString());
        out.reply(Replies.STORAGE_ERROR);
      } else {
        LOG.info("queued {} from {} ({} octets)", committing.queueId(), session.clientAddress(),
            decoder.size());
        out.reply(Replies.queued(committing.queueId()));
        session.transaction().filter(t -> t.transactionId().isPresent() && t.restored().isEmpty())
            .ifPresent(t -> out.forgiveError()); // see CheckpointResolver: not a guess after all
      }
      writer = null;
      session.endTransaction();
      out.resumeInput();
    })));
  }

  /** The connection broke mid-data: keep what can be resumed, and release the key only after that. */
  void connectionLost() {
    Optional<CheckpointLease> lease = session.lease();
    if (writer == null) {
      session.releaseCheckpoint();
      return;
    }
    MessageWriter suspending = writer;
    writer = null;
    session.server().pending().track(suspending.suspend().whenComplete((ok, error) -> {
      if (error != null) {
        LOG.warn("could not checkpoint {} on disconnect: {}", suspending.queueId(), error.toString());
      }
      lease.ifPresent(CheckpointLease::close);
    }));
  }

  private void discard() {
    if (writer != null) {
      writer.discard();
      writer = null;
      session.forgetCheckpoint();
    }
  }
}

package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.wire.DataDecoder;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointState;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DATA (RFC 5321 §4.1.1.4). Picks where the message goes: a plain spool file, a fresh checkpointed
 * transaction, the continuation of an interrupted one (354 names the offset, RFC 1845 §5), or the
 * replay of a completed one whose final reply was lost (no new message is written).
 */
final class DataHandler implements CommandHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DataHandler.class);

  @Override
  public void handle(Session session, String argument, SessionOutput out) {
    if (!argument.isEmpty()) {
      out.reply(Replies.NO_ARGUMENTS_EXPECTED);
      return;
    }
    Optional<Transaction> current = session.transaction();
    if (current.isEmpty()) {
      out.reply(session.heloName().isEmpty() ? Replies.NEED_HELO : Replies.NEED_MAIL);
      return;
    }
    Transaction t = current.get();
    if (t.recipients().isEmpty()) {
      out.reply(Replies.NO_VALID_RECIPIENTS);
      return;
    }
    if (out.hasBufferedInput()) {
      // RFC 2920: DATA ends a pipelined group; data before our 354 is how smuggled mail looks.
      out.replyAndClose(Replies.SYNC_ERROR);
      return;
    }
    int maxLine = session.server().config().maxLineLength();
    long maxSize = session.server().config().maxMessageSize();
    Optional<CheckpointState> restored = t.restored();
    try {
      if (restored.isPresent() && restored.get() instanceof CheckpointState.Completed done) {
        out.reply(Replies.resumeData(done.size()));
        out.startData(DataReceiver.replay(session, new DataDecoder(maxLine, done.size()), done));
        return;
      }
      Optional<CheckpointLease> lease = session.lease();
      MessageWriter writer;
      long offset = 0;
      if (restored.isPresent()) {
        writer = lease.orElseThrow().resume();
        offset = writer.size();
      } else if (lease.isPresent()) {
        writer = lease.get().begin(envelope(session, t), session.server().quotas().owner(session));
      } else {
        writer = session.server().queue().begin(envelope(session, t));
      }
      out.reply(restored.isPresent() ? Replies.resumeData(offset) : Replies.START_DATA);
      out.startData(DataReceiver.store(session, new DataDecoder(maxLine, offset), writer, maxSize,
          lease.isPresent() && restored.isEmpty() ? session.server().quotas().overBytes(session) : () -> false));
    } catch (IOException e) {
      LOG.error("cannot start storing a message: {}", e.toString());
      out.reply(Replies.STORAGE_ERROR);
    }
  }

  /** RFC 3848: ESMTP, plus S under TLS and A after AUTH. */
  private static String protocol(Session session) {
    if (!session.esmtp()) {
      return "SMTP";
    }
    return "ESMTP" + (session.tls() ? "S" : "") + (session.authIdentity().isPresent() ? "A" : "");
  }

  static Envelope envelope(Session session, Transaction t) {
    return new Envelope(t.reversePath(), t.parameters(), t.recipients(), session.heloName().orElseThrow(),
        session.clientAddress(), protocol(session), t.startedAt(),
        t.transactionId().map(id -> id.value()));
  }
}

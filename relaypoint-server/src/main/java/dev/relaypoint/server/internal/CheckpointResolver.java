package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.smtp.TransactionId;
import dev.relaypoint.store.CheckpointKey;
import dev.relaypoint.store.CheckpointLease;
import dev.relaypoint.store.CheckpointState;
import dev.relaypoint.store.Envelope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a MAIL with TRANSID means (RFC 1845 §3): a fresh transaction (250), or the continuation
 * of a stored one (355 with the durable offset, or with the total size when the message was already
 * completed and only its reply was lost).
 *
 * <p>The RFC keys a transaction by (EHLO name, TRANSID), both chosen by the client. To keep one client
 * from resuming, completing or deleting another's message, the stored state is also bound to the
 * reverse-path, the MAIL parameters and (by default) the client address. A mismatch is answered exactly
 * like an unknown TRANSID, a fresh 250, and the new transaction runs without checkpointing so the stored
 * state stays untouched for its owner (SECURITY-TESTS.md §4, A1–A4).
 */
final class CheckpointResolver {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointResolver.class);
  private static final int BUSY_RETRIES = 40;
  private static final long BUSY_RETRY_MILLIS = 50;

  void resolve(Session session, String reversePath, Map<String, String> parameters, TransactionId id,
      long declaredSize, SessionOutput out) {
    CheckpointKey key = new CheckpointKey(ownerName(session), id.value());
    acquire(session, key, 0, out, lease -> decide(session, lease, reversePath, parameters, id, declaredSize, out));
  }

  /**
   * The RFC's key part "EHLO name", plus the AUTH identity when there is one: a transaction started
   * under AUTH is a different key from the same TRANSID unauthenticated or under another identity, so
   * it is unknown to them (fresh 250, stored state untouched; A1, C17). A space cannot be in an EHLO
   * name, so no unauthenticated client can spell an authenticated key.
   */
  static String ownerName(Session session) {
    String helo = session.heloName().orElseThrow();
    return session.authIdentity().map(id -> helo + " auth=" + id).orElse(helo);
  }

  /**
   * A client that reconnects right after a break often finds its old session still saving the last
   * checkpoint (or not yet noticed dead). Rather than answer 451 at once, wait a little for the key.
   */
  private static void acquire(Session session, CheckpointKey key, int attempt, SessionOutput out,
      Consumer<CheckpointLease> then) {
    if (!out.isOpen()) {
      out.resumeInput(); // lets the handler release what the ended session still owns
      return;
    }
    Optional<CheckpointLease> acquired = session.server().checkpoints().tryAcquire(key);
    if (acquired.isPresent()) {
      if (attempt > 0) {
        out.resumeInputAfter(() -> then.accept(acquired.get()));
      } else {
        then.accept(acquired.get());
      }
      return;
    }
    if (attempt >= BUSY_RETRIES) {
      out.resumeInputAfter(() -> out.reply(Replies.CHECKPOINT_BUSY));
      return;
    }
    out.pauseInput();
    out.executor().schedule(() -> acquire(session, key, attempt + 1, out, then),
        BUSY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static void decide(Session session, CheckpointLease lease, String reversePath,
      Map<String, String> parameters, TransactionId id, long declaredSize, SessionOutput out) {
    Optional<CheckpointState> state = lease.state();
    boolean resumes = state.isPresent() && boundTo(state.get().envelope(), session, reversePath, parameters);
    CheckpointQuotaGate quotas = session.server().quotas();
    if (!resumes && !quotas.admitsNew(session, declaredSize)) {
      // A6: under quota or disk pressure no new checkpoint, but a resume always (it saves disk and
      // bandwidth). Unknown and not-ours TRANSIDs get the same 452, so it is no oracle (A3).
      lease.close();
      out.reply(Replies.CHECKPOINT_STORAGE);
      return;
    }
    Optional<CheckpointState> restored = Optional.empty();
    if (state.isPresent() && !resumes) {
      LOG.info("TRANSID {} from {} does not match its stored transaction; treated as new, state kept",
          id, session.clientAddress());
      lease.close();
    } else {
      session.own(lease);
      restored = state;
    }
    session.begin(new Transaction(reversePath, parameters, Optional.of(id),
        session.server().clock().instant(), restored, declaredSize));
    if (restored.isEmpty()) {
      // A12: a TRANSID that resumes nothing costs an error, whether unknown or not ours (the same for
      // both, so the error limit is no oracle); the client gets it back when it completes the message.
      out.countError();
      out.reply(Replies.SENDER_AND_TRANSID_OK);
      return;
    }
    CheckpointState s = restored.get();
    long offset = s instanceof CheckpointState.Interrupted i ? i.offset()
        : ((CheckpointState.Completed) s).size();
    LOG.info("restarting TRANSID {} for {} at octet {}", id, session.clientAddress(), offset);
    out.reply(Replies.restartOffset(offset));
  }

  private static boolean boundTo(Envelope stored, Session session, String reversePath,
      Map<String, String> parameters) {
    if (!stored.reversePath().equals(reversePath) || !stored.mailParameters().equals(parameters)) {
      return false;
    }
    ServerConfig config = session.server().config();
    return !config.bindCheckpointToClientAddress() || AddressPrefix.samePrefix(stored.clientAddress(),
        session.clientAddress(), config.checkpointPrefixV4(), config.checkpointPrefixV6());
  }
}

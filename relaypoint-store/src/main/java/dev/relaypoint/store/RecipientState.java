package dev.relaypoint.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one recipient of a queue entry stands.
 *
 * @param address       the envelope recipient, as in the {@link Envelope}
 * @param status        queued, deferred, delivered or bounced
 * @param transactionId the RFC 1845 TRANSID of the remote transaction this recipient is part of; set
 *                      before the first attempt of that transaction and kept until it got a final reply,
 *                      so a relay restarted mid-transfer resumes the same transaction
 * @param lastReply     the last reply or local error for this recipient, e.g. {@code 451 4.3.0 try later}
 * @param updatedAt     when the status last changed
 */
public record RecipientState(String address, Status status, Optional<String> transactionId,
    Optional<String> lastReply, Optional<Instant> updatedAt) {

  /** The per-recipient delivery status. */
  public enum Status {
    QUEUED, DEFERRED, DELIVERED, BOUNCED;

    /** Delivered or bounced: nothing more will be attempted. */
    public boolean isFinal() {
      return this == DELIVERED || this == BOUNCED;
    }
  }

  public RecipientState {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(lastReply, "lastReply");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public static RecipientState queued(String address) {
    return new RecipientState(address, Status.QUEUED, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public RecipientState withTransactionId(Optional<String> id) {
    return new RecipientState(address, status, id, lastReply, updatedAt);
  }

  /** A new status with the reply that caused it. */
  public RecipientState with(Status newStatus, String reply, Instant at) {
    return new RecipientState(address, newStatus, transactionId, Optional.of(reply), Optional.of(at));
  }
}

package dev.relaypoint.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery state of one queue entry, kept next to it in a status file written atomically. The
 * entry itself is never rewritten: its envelope and data stay as committed.
 *
 * @param recipients  one state per envelope recipient, in envelope order
 * @param attempts    delivery attempts made so far (0 before the first)
 * @param nextAttempt when a deferred entry is due again
 * @param lastAttempt when the last attempt ended
 */
public record DeliveryStatus(List<RecipientState> recipients, int attempts, Optional<Instant> nextAttempt,
    Optional<Instant> lastAttempt) {

  public DeliveryStatus {
    recipients = List.copyOf(recipients);
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
    Objects.requireNonNull(nextAttempt, "nextAttempt");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
  }

  /** Every recipient queued, nothing attempted. */
  public static DeliveryStatus initial(Envelope envelope) {
    return new DeliveryStatus(envelope.recipients().stream().map(RecipientState::queued).toList(), 0,
        Optional.empty(), Optional.empty());
  }

  /** True when every recipient is delivered or bounced. */
  public boolean finished() {
    return recipients.stream().allMatch(r -> r.status().isFinal());
  }

  public long count(RecipientState.Status status) {
    return recipients.stream().filter(r -> r.status() == status).count();
  }

  public DeliveryStatus withRecipients(List<RecipientState> newRecipients) {
    return new DeliveryStatus(newRecipients, attempts, nextAttempt, lastAttempt);
  }

  /** After an attempt: one more attempt made, due again at {@code next} if anything is left. */
  public DeliveryStatus attempted(Instant at, Optional<Instant> next) {
    return new DeliveryStatus(recipients, attempts + 1, next, Optional.of(at));
  }

  /** Due now (flush, retry, release). */
  public DeliveryStatus dueAt(Instant at) {
    return new DeliveryStatus(recipients, attempts, Optional.of(at), lastAttempt);
  }
}

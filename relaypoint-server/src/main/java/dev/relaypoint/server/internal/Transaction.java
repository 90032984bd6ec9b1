package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.TransactionId;
import dev.relaypoint.store.CheckpointState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One mail transaction from MAIL to the end of DATA (or RSET). Mutable, owned by one session. */
final class Transaction {

  private final String reversePath;
  private final Map<String, String> parameters;
  private final Optional<TransactionId> transactionId;
  private final Instant startedAt;
  private final List<String> recipients = new ArrayList<>();
  private final Optional<CheckpointState> restored;
  private final long declaredSize;

  Transaction(String reversePath, Map<String, String> parameters, Optional<TransactionId> transactionId,
      Instant startedAt, Optional<CheckpointState> restored, long declaredSize) {
    this.reversePath = reversePath;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.transactionId = transactionId;
    this.startedAt = startedAt;
    this.restored = restored;
    this.declaredSize = declaredSize;
    restored.ifPresent(state -> recipients.addAll(state.envelope().recipients()));
  }

  String reversePath() {
    return reversePath;
  }

  Map<String, String> parameters() {
    return parameters;
  }

  Optional<TransactionId> transactionId() {
    return transactionId;
  }

  Instant startedAt() {
    return startedAt;
  }

  List<String> recipients() {
    return Collections.unmodifiableList(recipients);
  }

  void addRecipient(String address) {
    recipients.add(address);
  }

  /** The stored state this transaction continues (after a 355), if any. */
  Optional<CheckpointState> restored() {
    return restored;
  }

  /** The SIZE the client declared at MAIL, or -1. */
  long declaredSize() {
    return declaredSize;
  }
}

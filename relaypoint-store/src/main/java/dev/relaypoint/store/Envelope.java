package dev.relaypoint.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server learned about one message before its data: the SMTP envelope plus the facts that
 * go into the trace header. Immutable; stored in the queue entry and in the checkpoint journal.
 *
 * @param reversePath   the MAIL FROM address without angle brackets; empty for the null path {@code <>}
 * @param mailParameters the MAIL FROM ESMTP parameters in the order given (keyword upper-cased, value raw;
 *                      a keyword without value maps to "")
 * @param recipients    accepted RCPT TO addresses without angle brackets, in order
 * @param heloName      the name the client gave in EHLO/HELO
 * @param clientAddress the client's IP address as text
 * @param protocol      "SMTP" or "ESMTP" (later "ESMTPS", "ESMTPA", ...), for the Received header
 * @param receivedAt    when the transaction started
 * @param transactionId the RFC 1845 TRANSID, if the client gave one
 */
public record Envelope(
    String reversePath,
    Map<String, String> mailParameters,
    List<String> recipients,
    String heloName,
    String clientAddress,
    String protocol,
    Instant receivedAt,
    Optional<String> transactionId) {

  public Envelope {
    Objects.requireNonNull(reversePath, "reversePath");
    mailParameters = Collections.unmodifiableMap(
        new LinkedHashMap<>(Objects.requireNonNull(mailParameters, "mailParameters")));
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(transactionId, "transactionId");
  }
}

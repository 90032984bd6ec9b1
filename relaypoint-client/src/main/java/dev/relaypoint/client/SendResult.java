package dev.relaypoint.client;

import dev.relaypoint.smtp.Reply;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a send that the server accepted with a final 250.
 *
 * @param recipients one status per envelope recipient, in envelope order
 * @param queueId the server's queue id, when its 250 text names one ("queued as X", "id=X")
 * @param finalReply the server's reply to the final dot
 * @param transactionId the RFC 1845 TRANSID used, empty when the server did not offer CHECKPOINT
 * @param messageSize canonical size of the message (CRLF line ends, no dot-stuffing)
 * @param octetsSent canonical message octets written, summed over all attempts
 * @param octetsSkipped canonical octets not sent again thanks to 355 restarts, summed over attempts
 * @param attempts transaction attempts made, 1 when nothing broke
 */
public record SendResult(List<RecipientStatus> recipients, Optional<String> queueId, Reply finalReply,
    Optional<String> transactionId, long messageSize, long octetsSent, long octetsSkipped, int attempts) {

  public SendResult {
    recipients = List.copyOf(recipients);
  }

  /** True when every recipient was accepted. */
  public boolean allAccepted() {
    return recipients.stream().allMatch(RecipientStatus::accepted);
  }
}

package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.Reply;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What must survive the sending process for a resume: the TRANSID and EHLO name (the server's key,
 * RFC 1845 §2(4), identical on every attempt), the address of the server holding the checkpoint
 * (tried first, RFC 1845 §3 ¶11), the envelope and the message digest (so a different message never
 * resumes someone else's transaction), and the RCPT replies (a 355 restores them server-side, and the
 * result still has to report them).
 */
public record SendState(String transactionId, String ehloName, String destination, String sender,
    List<String> recipients, String sha256, long size, Optional<InetSocketAddress> lastAddress,
    Map<String, Reply> rcptReplies) {

  public SendState {
    recipients = List.copyOf(recipients);
    rcptReplies = Map.copyOf(rcptReplies);
  }

  public SendState withLastAddress(InetSocketAddress address) {
    return new SendState(transactionId, ehloName, destination, sender, recipients, sha256, size,
        Optional.of(address), rcptReplies);
  }

  public SendState withRcptReplies(Map<String, Reply> replies) {
    return new SendState(transactionId, ehloName, destination, sender, recipients, sha256, size, lastAddress,
        replies);
  }
}

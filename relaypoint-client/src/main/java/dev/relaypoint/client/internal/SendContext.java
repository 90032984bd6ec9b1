package dev.relaypoint.client.internal;

import dev.relaypoint.client.Envelope;
import dev.relaypoint.client.SendListener;
import dev.relaypoint.client.Timeouts;
import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the attempts of one send share: fixed identity plus counters and what the server told us. */
final class SendContext {

  /** Persists the RCPT replies before any message data is sent. */
  @FunctionalInterface
  interface RcptRecorder {
    void record(Map<String, Reply> replies) throws IOException;
  }

  final Envelope envelope;
  final CanonicalMessage message;
  final String ehloName;
  final TransactionId transactionId;
  final Timeouts timeouts;
  final TlsLayer tls;
  final SendListener listener;
  final RcptRecorder recorder;
  final Map<String, Reply> rcptReplies = new LinkedHashMap<>();
  final Set<InetSocketAddress> distrusted = new HashSet<>();
  long octetsSent;
  long octetsSkipped;

  SendContext(Envelope envelope, CanonicalMessage message, String ehloName, TransactionId transactionId,
      Timeouts timeouts, TlsLayer tls, SendListener listener, RcptRecorder recorder) {
    this.envelope = envelope;
    this.message = message;
    this.ehloName = ehloName;
    this.transactionId = transactionId;
    this.timeouts = timeouts;
    this.tls = tls;
    this.listener = listener;
    this.recorder = recorder;
  }
}

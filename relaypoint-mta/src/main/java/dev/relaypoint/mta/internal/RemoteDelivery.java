package dev.relaypoint.mta.internal;

import dev.relaypoint.client.Destination;
import dev.relaypoint.client.Envelope;
import dev.relaypoint.client.MessageSource;
import dev.relaypoint.client.RecipientStatus;
import dev.relaypoint.client.RejectedException;
import dev.relaypoint.client.SendException;
import dev.relaypoint.client.SendListener;
import dev.relaypoint.client.SendResult;
import dev.relaypoint.client.SmtpClient;
import dev.relaypoint.smtp.Reply;
import dev.relaypoint.store.RecipientState.Status;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction to one destination through the resumable client, turned into per-recipient
 * outcomes. The TRANSID is chosen by the caller and already durable in the entry's status, so a relay
 * restarted mid-transfer sends the same MAIL with the same TRANSID and the receiver answers 355.
 */
public final class RemoteDelivery {

  /**
   * What happened to one recipient.
   *
   * @param keepTransaction true when the transaction got no final reply, so the next attempt resumes it
   */
  public record Outcome(Status status, String reply, boolean keepTransaction) {}

  private static final Logger LOG = LoggerFactory.getLogger(RemoteDelivery.class);

  /** Logs the client's reconnects and restarts, so an operator sees a resume happen. */
  public static final SendListener LOGGING = new SendListener() {
    @Override
    public void restarting(long offset, long size) {
      LOG.info("RFC 1845 restart: the receiver has {} of {} octets, sending the rest", offset, size);
    }

    @Override
    public void attemptFailed(int attempt, String reason, java.time.Duration wait) {
      LOG.info("attempt {} broke ({}); {}", attempt, reason, wait.isZero() ? "no more tries now" : "next in " + wait);
    }

    @Override
    public void tlsStarted(java.net.InetSocketAddress address, String protocol, String cipherSuite) {
      LOG.info("STARTTLS with {}: {} {}", address, protocol, cipherSuite);
    }

    @Override
    public void tlsSkipped(java.net.InetSocketAddress address, String reason) {
      LOG.warn("sending to {} without TLS: {}", address, reason);
    }
  };

  private final SmtpClient base;
  private final Map<Destination, SmtpClient> byDestination;

  /** {@code byDestination}: clients with another TLS policy for some destinations; the rest use {@code base}. */
  public RemoteDelivery(SmtpClient base, Map<Destination, SmtpClient> byDestination) {
    this.base = base;
    this.byDestination = Map.copyOf(byDestination);
  }

  public Map<String, Outcome> send(Destination destination, String sender, List<String> recipients,
      MessageSource source, String transactionId) {
    SmtpClient client = byDestination.getOrDefault(destination, base).toBuilder().destination(destination).build();
    Map<String, Outcome> out = new LinkedHashMap<>();
    try {
      SendResult r = client.send(new Envelope(sender, recipients), source, transactionId);
      LOG.info("{} to {}: {} octets, {} sent, {} skipped thanks to RFC 1845 restarts, {} attempt(s)",
          source.description(), destination, r.messageSize(), r.octetsSent(), r.octetsSkipped(), r.attempts());
      for (String rcpt : recipients) {
        Optional<Reply> reply = find(r.recipients(), rcpt);
        if (reply.isEmpty() || reply.get().isPositive()) {
          out.put(rcpt, new Outcome(Status.DELIVERED, r.finalReply().toString(), false));
        } else {
          out.put(rcpt, fromRcpt(reply.get(), false));
        }
      }
    } catch (RejectedException e) {
      for (String rcpt : recipients) {
        Optional<Reply> reply = find(e.recipients(), rcpt).filter(x -> !x.isPositive());
        out.put(rcpt, reply.map(x -> fromRcpt(x, false))
            .orElse(new Outcome(Status.BOUNCED, e.reply().toString(), false)));
      }
    } catch (SendException e) { // GaveUpException: the only other kind
      String why = "451 4.4.1 " + oneLine(e.getMessage());
      for (String rcpt : recipients) {
        Optional<Reply> reply = find(e.recipients(), rcpt).filter(Reply::isPermanent);
        out.put(rcpt, reply.map(x -> fromRcpt(x, true)).orElse(new Outcome(Status.DEFERRED, why, true)));
      }
    } catch (IOException | RuntimeException e) {
      String why = "451 4.3.0 local error: " + oneLine(String.valueOf(e.getMessage()));
      recipients.forEach(rcpt -> out.put(rcpt, new Outcome(Status.DEFERRED, why, true)));
    }
    return out;
  }

  private static Outcome fromRcpt(Reply reply, boolean keep) {
    return new Outcome(reply.isPermanent() ? Status.BOUNCED : Status.DEFERRED, reply.toString(), keep);
  }

  private static Optional<Reply> find(List<RecipientStatus> statuses, String rcpt) {
    return statuses.stream().filter(s -> s.address().equalsIgnoreCase(rcpt)).map(RecipientStatus::reply).findFirst();
  }

  static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}

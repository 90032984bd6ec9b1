package dev.relaypoint.mta.internal;

import dev.relaypoint.client.Destination;
import dev.relaypoint.mta.Route;
import dev.relaypoint.mta.Router;
import dev.relaypoint.mta.RetrySchedule;
import dev.relaypoint.store.DeliveryQueue;
import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.QueuedMessage;
import dev.relaypoint.store.RecipientState;
import dev.relaypoint.store.RecipientState.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt of one queue entry: recipients grouped by route, local ones into Maildir, each
 * remote group as one transaction through the client, discarded ones marked delivered. The status
 * (with each remote group's TRANSID) is written before the first byte is sent and after each Maildir or
 * remote group, so a crash at any point leaves a status that says which recipients are done and which
 * transaction to resume. A discard group gets no write of its own (see {@link #discard}).
 */
public final class EntryDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(EntryDelivery.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
  /** How soon a group postponed because its destination was busy is looked at again. */
  static final Duration POSTPONE = Duration.ofSeconds(1);
  static final String DISCARDED = "250 2.0.0 discarded";

  /** The result of an attempt: finished (remove the entry) or due again at {@code nextAttempt}. */
  public record Decision(boolean finished, Optional<Instant> nextAttempt) {}

  /** What an attempt needs; shared by all delivery threads. */
  public record Parts(DeliveryQueue queue, Router router, MaildirWriter maildir, RemoteDelivery remote,
      Bounces bounces, DestinationLimits limits, RetrySchedule schedule, Clock clock, RandomGenerator random,
      String hostname) {}

  private final Parts p;

  public EntryDelivery(Parts parts) {
    this.p = parts;
  }

  public Decision attempt(String queueId) throws IOException {
    try (QueuedMessage m = p.queue().open(queueId)) {
      Envelope env = m.envelope();
      DeliveryStatus status = p.queue().status(queueId).orElse(DeliveryStatus.initial(env));
      List<RecipientState> rs = new ArrayList<>(status.recipients());
      Instant now = p.clock().instant();
      boolean expired = status.attempts() > 0 && !now.isBefore(env.receivedAt().plus(p.schedule().maxLifetime()));
      Map<Route, List<Integer>> groups = new LinkedHashMap<>();
      for (int i = 0; i < rs.size(); i++) {
        RecipientState r = rs.get(i);
        if (r.status().isFinal()) {
          continue;
        }
        if (expired) {
          rs.set(i, r.with(Status.BOUNCED, "421 4.4.7 Message expired after " + p.schedule().maxLifetime()
              + " in the queue; last error: " + r.lastReply().orElse("none"), now));
        } else {
          groups.computeIfAbsent(p.router().route(r.address()), k -> new ArrayList<>()).add(i);
        }
      }
      if (assignTransactionIds(groups, rs)) {
        p.queue().writeStatus(queueId, status.withRecipients(rs)); // TRANSIDs durable before the first byte
      }
      boolean postponed = false;
      boolean attempted = false;
      for (Map.Entry<Route, List<Integer>> g : groups.entrySet()) {
        if (g.getKey() instanceof Route.Discard) {
          discard(m, g.getValue(), rs);
          attempted = true;
          continue;
        }
        if (g.getKey() instanceof Route.Remote remote) {
          if (!p.limits().tryAcquire(remote.destination())) {
            postponed = true;
            continue;
          }
          try {
            deliverRemote(m, remote.destination(), g.getValue(), rs);
          } finally {
            p.limits().release(remote.destination());
          }
        } else {
          deliverLocal(m, g.getValue(), rs);
        }
        attempted = true;
        p.queue().writeStatus(queueId, status.withRecipients(rs));
      }
      DeliveryStatus after = status.withRecipients(rs);
      if (after.finished()) {
        bounceIfNeeded(m, rs, now);
        return new Decision(true, Optional.empty());
      }
      Instant end = p.clock().instant(); // an attempt may take minutes: the delay counts from its end
      Instant next = postponed ? end.plus(POSTPONE)
          : end.plus(p.schedule().delayAfter(status.attempts() + 1, p.random()));
      after = attempted ? after.attempted(end, Optional.of(next)) : after.dueAt(next);
      p.queue().writeStatus(queueId, after);
      return new Decision(false, Optional.of(next));
    }
  }

  /**
   * A remote group keeps the TRANSID its members share (a resume); otherwise it gets a fresh one.
   * Returns true when a fresh one was assigned: it must be durable before the first byte is sent.
   */
  private boolean assignTransactionIds(Map<Route, List<Integer>> groups, List<RecipientState> rs) {
    boolean changed = false;
    for (Map.Entry<Route, List<Integer>> g : groups.entrySet()) {
      if (!(g.getKey() instanceof Route.Remote)) {
        continue;
      }
      List<Optional<String>> ids = g.getValue().stream().map(i -> rs.get(i).transactionId()).distinct().toList();
      if (ids.size() == 1 && ids.get(0).isPresent()) {
        continue;
      }
      Optional<String> fresh = Optional.of(newTransactionId());
      g.getValue().forEach(i -> rs.set(i, rs.get(i).withTransactionId(fresh)));
      changed = true;
    }
    return changed;
  }

  private void deliverRemote(QueuedMessage m, Destination d, List<Integer> idx, List<RecipientState> rs) {
    List<String> addresses = idx.stream().map(i -> rs.get(i).address()).toList();
    String transId = rs.get(idx.get(0)).transactionId().orElseThrow();
    Map<String, RemoteDelivery.Outcome> outcomes = p.remote().send(d, m.envelope().reversePath(), addresses,
        new EntrySource(m, receivedHeader(m)), transId);
    Instant at = p.clock().instant();
    for (int i : idx) {
      RecipientState r = rs.get(i);
      RemoteDelivery.Outcome o = outcomes.get(r.address());
      rs.set(i, r.with(o.status(), o.reply(), at).withTransactionId(o.keepTransaction() ? r.transactionId()
          : Optional.empty()));
      LOG.info("{}: to=<{}> relay={} status={} ({})", m.queueId(), r.address(), d, o.status(), o.reply());
    }
  }

  private void deliverLocal(QueuedMessage m, List<Integer> idx, List<RecipientState> rs) {
    for (int i : idx) {
      RecipientState r = rs.get(i);
      Instant at = p.clock().instant();
      try {
        boolean fresh = p.maildir().deliver(m, i);
        rs.set(i, r.with(Status.DELIVERED, "250 2.0.0 " + (fresh ? "delivered to maildir" : "already in maildir"), at));
      } catch (IllegalArgumentException e) {
        rs.set(i, r.with(Status.BOUNCED, "550 5.1.3 " + e.getMessage(), at));
      } catch (IOException e) {
        rs.set(i, r.with(Status.DEFERRED, "451 4.3.0 local delivery failed: " + e.getMessage(), at));
      }
      LOG.info("{}: to=<{}> relay=local status={}", m.queueId(), r.address(), rs.get(i).status());
    }
  }

  /**
   * Marks the group delivered, one log line for the entry. No status write of its own: discarding again
   * after a crash changes nothing anyone can see (as a repeated Maildir delivery finds its file), so the
   * entry's removal or the attempt's final status write, whichever follows, is enough. A crash before
   * either leaves the entry to be taken again from {@code incoming} at start and discarded again. So an
   * entry whose recipients are all discarded costs no status file at all.
   */
  private void discard(QueuedMessage m, List<Integer> idx, List<RecipientState> rs) {
    Instant at = p.clock().instant();
    for (int i : idx) {
      rs.set(i, rs.get(i).with(Status.DELIVERED, DISCARDED, at));
    }
    LOG.info("{}: to=<{}> relay=discard status={} ({})", m.queueId(),
        String.join(">,<", idx.stream().map(i -> rs.get(i).address()).toList()), Status.DELIVERED, DISCARDED);
  }

  private void bounceIfNeeded(QueuedMessage m, List<RecipientState> rs, Instant now) throws IOException {
    List<RecipientState> bounced = rs.stream().filter(r -> r.status() == Status.BOUNCED).toList();
    String sender = m.envelope().reversePath();
    if (bounced.isEmpty()) {
      return;
    }
    if (sender.isEmpty()) {
      LOG.info("{}: {} recipients failed; no bounce for the null reverse-path", m.queueId(), bounced.size());
      return;
    }
    String to = p.router().isLocal(sender) ? localForm(sender) : sender;
    String bounceId = p.bounces().send(m, to, bounced, now);
    LOG.info("{}: sender non-delivery notification: {}", m.queueId(), bounceId);
  }

  private static String localForm(String address) {
    int at = address.lastIndexOf('@');
    return address.substring(0, at).toLowerCase(Locale.ROOT) + address.substring(at).toLowerCase(Locale.ROOT);
  }

  /** Our trace header, derived from the entry only: every attempt must send the same octets. */
  byte[] receivedHeader(QueuedMessage m) {
    Envelope e = m.envelope();
    String h = "Received: from " + e.heloName() + " ([" + e.clientAddress() + "])\r\n"
        + "\tby " + p.hostname() + " (Relaypoint) with " + e.protocol() + " id " + m.queueId() + ";\r\n"
        + "\t" + DATE.format(e.receivedAt().atOffset(ZoneOffset.UTC)) + "\r\n";
    return h.getBytes(StandardCharsets.UTF_8);
  }

  private String newTransactionId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    String domain = p.hostname().length() <= 40 ? p.hostname() : "relaypoint.invalid";
    return "<" + HexFormat.of().formatHex(bits) + "@" + domain + ">";
  }
}

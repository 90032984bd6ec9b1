package dev.relaypoint.client.internal;

import dev.relaypoint.client.AddressResolver;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.Envelope;
import dev.relaypoint.client.GaveUpException;
import dev.relaypoint.client.MessageSource;
import dev.relaypoint.client.RecipientStatus;
import dev.relaypoint.client.RejectedException;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.client.SendException;
import dev.relaypoint.client.SendListener;
import dev.relaypoint.client.SendResult;
import dev.relaypoint.client.Timeouts;
import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.TransactionId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The retry loop of one send (RFC 1845 §3, client side). Before the first byte the send state is
 * persisted. Each attempt re-resolves the destination, tries the address that holds the checkpoint
 * first when it is still listed, and goes straight on to the next address when one cannot be reached or
 * refuses before the transaction starts, so the client never waits for the original host while
 * another accepts. After a break mid-transaction it waits per the {@link RetryPolicy}.
 *
 * <p>TLS: a failed opportunistic handshake leaves a connection the server reads as TLS, so the same
 * address is dialled again at once and that session stays plaintext (this attempt only; the next
 * attempt tries TLS again). When TLS is required and no address of an attempt gave it, the send ends
 * at once with {@link GaveUpException}: the servers will not change their TLS within the retry delays,
 * and nothing was sent after EHLO. The state is kept, so a later send (the relay's next queue run)
 * resumes.
 */
public final class Sender {

  /** The client settings a send needs. */
  public record Settings(Destination destination, AddressResolver resolver, String ehloName,
      String transIdDomain, RetryPolicy retryPolicy, Timeouts timeouts, TlsLayer tls,
      Optional<StateStore> stateStore, SendListener listener) {}

  private final Settings settings;

  public Sender(Settings settings) {
    this.settings = settings;
  }

  public SendResult send(Envelope envelope, MessageSource source, Optional<String> fixedTransId)
      throws IOException, SendException {
    CanonicalMessage message = CanonicalMessage.scan(source);
    String destination = settings.destination().toString();
    String key = StateStore.key(destination, envelope.sender(), envelope.recipients(), message.sha256());
    Optional<SendState> stored = settings.stateStore().flatMap(s -> s.load(key));
    SendState state = stored.orElseGet(() -> new SendState(
        fixedTransId.orElseGet(() -> TransIds.generate(settings.transIdDomain()).value()),
        settings.ehloName(), destination, envelope.sender(), envelope.recipients(), message.sha256(),
        message.size(), Optional.empty(), Map.of()));
    if (fixedTransId.isPresent() && !fixedTransId.get().equals(state.transactionId())) {
      state = new SendState(fixedTransId.get(), state.ehloName(), destination, envelope.sender(),
          envelope.recipients(), message.sha256(), message.size(), state.lastAddress(), state.rcptReplies());
    }
    TransactionId transId = TransIds.parse(state.transactionId());
    Persist persist = new Persist(key, state);
    persist.save(); // before the first byte: a killed process resumes the same transaction
    SendContext ctx = new SendContext(envelope, message, state.ehloName(), transId, settings.timeouts(),
        settings.tls(), settings.listener(), replies -> persist.update(persist.state.withRcptReplies(replies)));
    ctx.rcptReplies.putAll(state.rcptReplies());
    Optional<InetSocketAddress> original = state.lastAddress();

    RetryPolicy policy = settings.retryPolicy();
    String lastFailure = "no attempt made";
    IOException lastCause = null;
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      List<InetSocketAddress> addresses;
      try {
        addresses = order(settings.resolver().resolve(settings.destination()), original);
      } catch (UnknownHostException e) {
        persist.delete();
        throw new RejectedException(e.getMessage(), Reply.of(550, "5.1.2", e.getMessage()), List.of(), attempt);
      } catch (IOException e) {
        addresses = List.of();
        lastCause = e;
        lastFailure = "DNS: " + e.getMessage();
      }
      Set<InetSocketAddress> plaintext = new HashSet<>();
      int tlsRefusals = 0;
      for (int i = 0; i < addresses.size(); i++) {
        InetSocketAddress address = addresses.get(i);
        settings.listener().connecting(attempt, address);
        persist.update(persist.state.withLastAddress(address));
        Attempt run = null;
        try (SmtpConnection conn = SmtpConnection.open(address, settings.timeouts().connect(),
            settings.timeouts().dataBlock())) {
          run = new Attempt(conn, ctx, peerName(address), plaintext.contains(address));
          Reply done = run.run();
          persist.delete();
          return new SendResult(statuses(ctx), QueueIds.find(done), done,
              run.checkpointUsed() ? Optional.of(transId.value()) : Optional.empty(), message.size(),
              ctx.octetsSent, ctx.octetsSkipped, attempt);
        } catch (UnexpectedReplyException e) {
          lastCause = e;
          lastFailure = describe(address, e);
          if (!e.isTransient() && (run != null && run.transactionStarted() || isEnvelopeRefusal(e))) {
            persist.delete();
            throw new RejectedException(lastFailure, e.reply(), statuses(ctx), attempt);
          }
        } catch (TlsHandshakeException e) {
          settings.listener().tlsSkipped(address, e.getMessage() + "; reconnecting without TLS");
          if (plaintext.add(address)) {
            addresses.add(i + 1, address);
          }
          lastCause = e;
          lastFailure = describe(address, e);
        } catch (TlsRequiredException e) {
          tlsRefusals++;
          lastCause = e;
          lastFailure = describe(address, e);
        } catch (ProtocolViolationException e) {
          ctx.distrusted.add(address); // later attempts there: whole message, no TRANSID
          lastCause = e;
          lastFailure = describe(address, e);
        } catch (InterruptedIOException e) {
          if (Thread.currentThread().isInterrupted()) {
            throw e;
          }
          lastCause = e;
          lastFailure = describe(address, e);
        } catch (IOException e) {
          lastCause = e;
          lastFailure = describe(address, e);
        }
        if (run != null && run.transactionStarted()) {
          original = Optional.of(address); // it may hold our checkpoint now
          break; // a break mid-transaction: wait before the next attempt (RFC 1845 §3 ¶10)
        }
      }
      if (tlsRefusals > 0 && tlsRefusals == addresses.size()) {
        settings.listener().attemptFailed(attempt, lastFailure, Duration.ZERO);
        throw new GaveUpException(lastFailure, statuses(ctx), attempt, lastCause);
      }
      Duration wait = attempt < policy.maxAttempts() ? policy.delayAfter(attempt) : Duration.ZERO;
      settings.listener().attemptFailed(attempt, lastFailure, wait);
      sleep(wait);
    }
    throw new GaveUpException("gave up after " + policy.maxAttempts() + " attempts; last: " + lastFailure,
        statuses(ctx), policy.maxAttempts(), lastCause);
  }

  /** The name for SNI and the certificate check: the configured host, else the MX name of the address. */
  private String peerName(InetSocketAddress address) {
    String name = settings.destination() instanceof Destination.Server server ? server.host() : address.getHostString();
    return settings.tls().peerName(name);
  }

  /** A permanent refusal of MAIL or of every RCPT, or a SIZE refusal, ends the send. */
  private static boolean isEnvelopeRefusal(UnexpectedReplyException e) {
    return e.step().equals("MAIL") || e.step().equals("RCPT") || e.step().equals("SIZE");
  }

  static List<InetSocketAddress> order(List<InetSocketAddress> resolved, Optional<InetSocketAddress> original) {
    List<InetSocketAddress> out = new ArrayList<>(resolved);
    original.ifPresent(o -> {
      for (int i = 0; i < out.size(); i++) {
        InetSocketAddress a = out.get(i);
        if (a.getAddress().equals(o.getAddress()) && a.getPort() == o.getPort()) {
          out.add(0, out.remove(i)); // RFC 1845 §3 ¶11: the original IP first, if still listed
          return;
        }
      }
    });
    return out;
  }

  private static List<RecipientStatus> statuses(SendContext ctx) {
    List<RecipientStatus> out = new ArrayList<>();
    for (Map.Entry<String, Reply> e : ctx.rcptReplies.entrySet()) {
      out.add(new RecipientStatus(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static String describe(InetSocketAddress address, IOException e) {
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return address.getHostString() + " [" + address.getAddress().getHostAddress() + "]:" + address.getPort()
        + ": " + what;
  }

  private static void sleep(Duration wait) throws InterruptedIOException {
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** The persisted state of this send; a no-op without a state directory. */
  private final class Persist {
    private final String key;
    private SendState state;

    Persist(String key, SendState state) {
      this.key = key;
      this.state = state;
    }

    void save() throws IOException {
      if (settings.stateStore().isPresent()) {
        settings.stateStore().get().save(key, state);
      }
    }

    void update(SendState next) throws IOException {
      state = next;
      save();
    }

    void delete() throws IOException {
      if (settings.stateStore().isPresent()) {
        settings.stateStore().get().delete(key);
      }
    }
  }
}

package dev.relaypoint.client;

import dev.relaypoint.client.internal.Sender;
import dev.relaypoint.client.internal.StateStore;
import dev.relaypoint.client.internal.TlsLayer;
import dev.relaypoint.client.internal.TransIds;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A resumable SMTP client (RFC 1845 checkpoint/restart). Immutable and thread-safe; build one with
 * {@link #newBuilder()} and derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * SmtpClient client = SmtpClient.newBuilder()
 *     .destination(Destination.mx("example.org"))
 *     .ehloName("relay.example.net")
 *     .stateDirectory(Path.of("/var/lib/relaypoint/send"))
 *     .build();
 * SendResult result = client.send(Envelope.of("me@example.net", "you@example.org"),
 *     MessageSource.of(Path.of("big.eml")));
 * }</pre>
 */
public final class SmtpClient {

  private final Destination destination;
  private final AddressResolver resolver;
  private final String ehloName;
  private final String transIdDomain;
  private final RetryPolicy retryPolicy;
  private final Timeouts timeouts;
  private final TlsLayer tls;
  private final Optional<Path> stateDirectory;
  private final SendListener listener;

  private SmtpClient(Builder b) {
    this.destination = Objects.requireNonNull(b.destination, "destination");
    this.resolver = b.resolver;
    this.ehloName = b.ehloName;
    this.transIdDomain = b.transIdDomain == null ? b.ehloName : b.transIdDomain;
    this.retryPolicy = b.retryPolicy;
    this.timeouts = b.timeouts;
    this.tls = TlsLayer.of(b.tls); // reads the PEM trust now: a bad file fails here, not mid-send
    this.stateDirectory = Optional.ofNullable(b.stateDirectory);
    this.listener = b.listener;
    TransIds.generate(transIdDomain); // fail at build time, not at the first send
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Sends one message, retrying and resuming until the server answers the final dot with 250, refuses
   * permanently, or the retry policy is exhausted.
   *
   * @return the result; check {@link SendResult#allAccepted()} when some recipients were refused
   * @throws RejectedException a permanent refusal (5xx to MAIL, to every RCPT, to DATA or the dot)
   * @throws GaveUpException every attempt broke; the state is kept for a later resume
   * @throws IOException a local problem: the message or the state directory cannot be read or written
   */
  public SendResult send(Envelope envelope, MessageSource source) throws IOException, SendException {
    return sender().send(envelope, source, Optional.empty());
  }

  /** As {@link #send(Envelope, MessageSource)} with a given TRANSID {@code <local@domain>}. */
  public SendResult send(Envelope envelope, MessageSource source, String transactionId)
      throws IOException, SendException {
    TransIds.parse(transactionId);
    return sender().send(envelope, source, Optional.of(transactionId));
  }

  private Sender sender() {
    return new Sender(new Sender.Settings(destination, resolver, ehloName, transIdDomain, retryPolicy, timeouts,
        tls, stateDirectory.map(StateStore::new), listener));
  }

  public Destination destination() {
    return destination;
  }

  public String ehloName() {
    return ehloName;
  }

  public String transIdDomain() {
    return transIdDomain;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  public TlsPolicy tls() {
    return tls.policy();
  }

  public Optional<Path> stateDirectory() {
    return stateDirectory;
  }

  /** Builds {@link SmtpClient}s. Only the destination is required. */
  public static final class Builder {
    private Destination destination;
    private AddressResolver resolver = AddressResolver.dns();
    private String ehloName = defaultHostName();
    private String transIdDomain;
    private RetryPolicy retryPolicy = RetryPolicy.interactive();
    private Timeouts timeouts = Timeouts.rfc5321();
    private TlsPolicy tls = TlsPolicy.opportunistic();
    private Path stateDirectory;
    private SendListener listener = SendListener.NONE;

    private Builder() {}

    private Builder(SmtpClient c) {
      destination = c.destination;
      resolver = c.resolver;
      ehloName = c.ehloName;
      transIdDomain = c.transIdDomain;
      retryPolicy = c.retryPolicy;
      timeouts = c.timeouts;
      tls = c.tls.policy();
      stateDirectory = c.stateDirectory.orElse(null);
      listener = c.listener;
    }

    public Builder destination(Destination destination) {
      this.destination = Objects.requireNonNull(destination);
      return this;
    }

    public Builder resolver(AddressResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver);
      return this;
    }

    /** The EHLO name, sent identically on every attempt (it is half of the RFC 1845 key). */
    public Builder ehloName(String ehloName) {
      if (ehloName.isEmpty() || ehloName.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        throw new IllegalArgumentException("EHLO name must be printable ASCII without spaces");
      }
      this.ehloName = ehloName;
      return this;
    }

    /** The domain part of generated TRANSIDs; defaults to the EHLO name. */
    public Builder transIdDomain(String domain) {
      this.transIdDomain = Objects.requireNonNull(domain);
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy);
      return this;
    }

    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts);
      return this;
    }

    /**
     * STARTTLS (RFC 3207); {@link TlsPolicy#opportunistic()} by default. {@link #build()} throws
     * {@link IllegalArgumentException} when the policy's PEM file cannot be read.
     */
    public Builder tls(TlsPolicy tls) {
      this.tls = Objects.requireNonNull(tls);
      return this;
    }

    /** Where send state is persisted so a killed process resumes; none by default. */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = dir;
      return this;
    }

    public Builder listener(SendListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    public SmtpClient build() {
      return new SmtpClient(this);
    }

    private static String defaultHostName() {
      try {
        String name = InetAddress.getLocalHost().getCanonicalHostName();
        if (name.indexOf('.') > 0 && !Character.isDigit(name.charAt(name.length() - 1))) {
          return name;
        }
      } catch (IOException e) {
        // fall through to a neutral name
      }
      return "localhost.localdomain";
    }
  }
}

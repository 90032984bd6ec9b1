package dev.relaypoint.server;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the SMTP listener needs to know, immutable. Build with {@link #newBuilder()}; every
 * setting has the default an operator would expect, so {@code newBuilder().build()} is a working
 * server on 127.0.0.1:2525 for the domain {@code localhost}.
 */
public final class ServerConfig {

  private final InetSocketAddress listen;
  private final String hostname;
  private final Set<String> localDomains;
  private final Map<String, Set<String>> localParts;
  private final long maxMessageSize;
  private final int maxLineLength;
  private final int maxRecipients;
  private final boolean checkpointEnabled;
  private final boolean bindCheckpointToClientAddress;
  private final Duration idleTimeout;
  private final Duration dataTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerClient;
  private final int maxErrors;
  private final Duration greetingDelay;
  private final Optional<SslContext> tls;
  private final boolean implicitTls;
  private final Optional<Authenticator> authenticator;
  private final boolean authWithoutTls;
  private final boolean requireAuth;
  private final int maxAuthFailures;
  private final int checkpointPrefixV4;
  private final int checkpointPrefixV6;
  private final List<Cidr> trustedNetworks;
  private final CheckpointQuotas checkpointQuotas;

  private ServerConfig(Builder b) {
    this.listen = b.listen;
    this.hostname = b.hostname;
    this.localDomains = Collections.unmodifiableSet(new LinkedHashSet<>(b.localDomains)); // first = primary
    Map<String, Set<String>> parts = new TreeMap<>();
    b.localParts.forEach((domain, users) -> parts.put(domain, Set.copyOf(users)));
    this.localParts = Map.copyOf(parts);
    this.maxMessageSize = b.maxMessageSize;
    this.maxLineLength = b.maxLineLength;
    this.maxRecipients = b.maxRecipients;
    this.checkpointEnabled = b.checkpointEnabled;
    this.bindCheckpointToClientAddress = b.bindCheckpointToClientAddress;
    this.idleTimeout = b.idleTimeout;
    this.dataTimeout = b.dataTimeout;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerClient = b.maxConnectionsPerClient;
    this.maxErrors = b.maxErrors;
    this.greetingDelay = b.greetingDelay;
    this.tls = b.tls;
    this.implicitTls = b.implicitTls;
    this.authenticator = b.authenticator;
    this.authWithoutTls = b.authWithoutTls;
    this.requireAuth = b.requireAuth;
    this.maxAuthFailures = b.maxAuthFailures;
    this.checkpointPrefixV4 = b.checkpointPrefixV4;
    this.checkpointPrefixV6 = b.checkpointPrefixV6;
    if (requireAuth && authenticator.isEmpty()) {
      throw new IllegalArgumentException("requiring AUTH needs users to authenticate");
    }
    if (implicitTls && tls.isEmpty()) {
      throw new IllegalArgumentException("implicit TLS needs a TLS certificate");
    }
    this.trustedNetworks = List.copyOf(b.trustedNetworks);
    this.checkpointQuotas = b.checkpointQuotas;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.listen = listen;
    b.hostname = hostname;
    b.localDomains = new LinkedHashSet<>(localDomains);
    b.localParts = new TreeMap<>(localParts);
    b.maxMessageSize = maxMessageSize;
    b.maxLineLength = maxLineLength;
    b.maxRecipients = maxRecipients;
    b.checkpointEnabled = checkpointEnabled;
    b.bindCheckpointToClientAddress = bindCheckpointToClientAddress;
    b.idleTimeout = idleTimeout;
    b.dataTimeout = dataTimeout;
    b.maxConnections = maxConnections;
    b.maxConnectionsPerClient = maxConnectionsPerClient;
    b.maxErrors = maxErrors;
    b.greetingDelay = greetingDelay;
    b.tls = tls;
    b.implicitTls = implicitTls;
    b.authenticator = authenticator;
    b.authWithoutTls = authWithoutTls;
    b.requireAuth = requireAuth;
    b.maxAuthFailures = maxAuthFailures;
    b.checkpointPrefixV4 = checkpointPrefixV4;
    b.checkpointPrefixV6 = checkpointPrefixV6;
    b.trustedNetworks = trustedNetworks;
    b.checkpointQuotas = checkpointQuotas;
    return b;
  }

  public InetSocketAddress listen() {
    return listen;
  }

  /** The name in the greeting, the EHLO reply and trace headers. */
  public String hostname() {
    return hostname;
  }

  /** Domains delivered locally, lower case. The first one given is the primary domain. */
  public Set<String> localDomains() {
    return localDomains;
  }

  /** Per local domain, the accepted local parts (lower case); a domain not listed accepts any. */
  public Map<String, Set<String>> localParts() {
    return localParts;
  }

  public long maxMessageSize() {
    return maxMessageSize;
  }

  /** Longest message data line accepted, CRLF included (RFC 5321 §4.5.3.1.6: at least 1000). */
  public int maxLineLength() {
    return maxLineLength;
  }

  public int maxRecipients() {
    return maxRecipients;
  }

  /** Whether CHECKPOINT (RFC 1845) is advertised and TRANSID accepted. */
  public boolean checkpointEnabled() {
    return checkpointEnabled;
  }

  /** Whether a stored transaction may be resumed only from the client address that started it. */
  public boolean bindCheckpointToClientAddress() {
    return bindCheckpointToClientAddress;
  }

  /**
   * The absolute deadline for each command line, counted from when the server starts waiting for it
   * (RFC 5321 §4.5.3.2.7: at least 5 minutes). Bytes trickling in do not extend it; at the deadline the
   * client gets 421 and the connection is closed.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How long message data may pause between reads (RFC 5321 §4.5.3.2.6 data block: 3 minutes). */
  public Duration dataTimeout() {
    return dataTimeout;
  }

  public int maxConnections() {
    return maxConnections;
  }

  /** Concurrent connections from one client IP address; more get 421 at the greeting. */
  public int maxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  /** Error replies (4xx/5xx, failed resumes) a session may collect before it gets 421 and is closed. */
  public int maxErrors() {
    return maxErrors;
  }

  /**
   * How long the server waits before its greeting; a client that talks in that time gets 554 and is
   * disconnected (RFC 5321 §4.3.1: the client waits for the greeting). Zero sends the greeting at once.
   */
  public Duration greetingDelay() {
    return greetingDelay;
  }

  /** The server's TLS context ({@link ServerTls}); when present, STARTTLS is offered (RFC 3207). */
  public Optional<SslContext> tls() {
    return tls;
  }

  /** Whether this listener speaks TLS from the first byte (RFC 8314, port 465) instead of STARTTLS. */
  public boolean implicitTls() {
    return implicitTls;
  }

  /** Who may AUTH (RFC 4954); when present, AUTH PLAIN and LOGIN are offered. */
  public Optional<Authenticator> authenticator() {
    return authenticator;
  }

  /** Whether AUTH is offered on a connection without TLS (off: passwords never travel in clear). */
  public boolean authWithoutTls() {
    return authWithoutTls;
  }

  /** Whether MAIL needs AUTH first (a submission listener, port 587 style). */
  public boolean requireAuth() {
    return requireAuth;
  }

  /** Failed AUTH attempts per connection before 421 and close. */
  public int maxAuthFailures() {
    return maxAuthFailures;
  }

  /**
   * How many leading bits of the client's IPv4 / IPv6 address must match the address that started a
   * checkpointed transaction for it to be resumed (32/128: the same address; 24/64 for clients that
   * come back from a sibling address). Only with {@link #bindCheckpointToClientAddress()}.
   */
  public int checkpointPrefixV4() {
    return checkpointPrefixV4;
  }

  public int checkpointPrefixV6() {
    return checkpointPrefixV6;
  }

  /**
   * Clients in these networks may relay: their recipients in non-local domains are accepted and queued
   * for remote delivery. Everyone else gets 554 5.7.1 for a non-local domain. Default: loopback only.
   */
  public List<Cidr> trustedNetworks() {
    return trustedNetworks;
  }

  /** How much disk new checkpointed transactions may take ({@link CheckpointQuotas}). */
  public CheckpointQuotas checkpointQuotas() {
    return checkpointQuotas;
  }

  /** True when {@code clientAddress} (an IP literal) is in a trusted network. */
  public boolean isTrusted(String clientAddress) {
    return trustedNetworks.stream().anyMatch(n -> n.contains(clientAddress));
  }

  /** Builder with operator defaults. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 2525);
    private String hostname = "localhost";
    private Set<String> localDomains = new LinkedHashSet<>(Set.of("localhost"));
    private Map<String, Set<String>> localParts = new TreeMap<>();
    private long maxMessageSize = 64L << 20;
    private int maxLineLength = 1000;
    private int maxRecipients = 1000;
    private boolean checkpointEnabled = true;
    private boolean bindCheckpointToClientAddress = true;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration dataTimeout = Duration.ofMinutes(3);
    private int maxConnections = 1000;
    private int maxConnectionsPerClient = 20;
    private int maxErrors = 20;
    private Duration greetingDelay = Duration.ZERO;
    private Optional<SslContext> tls = Optional.empty();
    private boolean implicitTls;
    private Optional<Authenticator> authenticator = Optional.empty();
    private boolean authWithoutTls;
    private boolean requireAuth;
    private int maxAuthFailures = 3;
    private int checkpointPrefixV4 = 32;
    private int checkpointPrefixV6 = 128;
    private List<Cidr> trustedNetworks = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"));
    private CheckpointQuotas checkpointQuotas = CheckpointQuotas.DEFAULT;

    private Builder() {}

    public Builder checkpointQuotas(CheckpointQuotas quotas) {
      this.checkpointQuotas = Objects.requireNonNull(quotas, "quotas");
      return this;
    }

    /** Replaces the trusted networks; an empty list lets nobody relay. */
    public Builder trustedNetworks(List<Cidr> networks) {
      this.trustedNetworks = List.copyOf(networks);
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = Objects.requireNonNull(listen, "listen");
      return this;
    }

    /** The name in the greeting, EHLO reply and trace headers: printable ASCII, no spaces or line breaks. */
    public Builder hostname(String hostname) {
      Objects.requireNonNull(hostname, "hostname");
      if (hostname.isEmpty() || !hostname.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
        throw new IllegalArgumentException("hostname must be printable ASCII without spaces or line breaks: '"
            + hostname.replace("\r", "\\r").replace("\n", "\\n") + "'");
      }
      this.hostname = hostname;
      return this;
    }

    public Builder localDomains(Iterable<String> domains) {
      LinkedHashSet<String> set = new LinkedHashSet<>();
      for (String d : domains) {
        set.add(d.toLowerCase(Locale.ROOT));
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException("at least one local domain is needed");
      }
      this.localDomains = set;
      return this;
    }

    /** Restricts {@code domain} to these local parts; others get 550 5.1.1. */
    public Builder localParts(String domain, Iterable<String> users) {
      LinkedHashSet<String> set = new LinkedHashSet<>();
      users.forEach(u -> set.add(u.toLowerCase(Locale.ROOT)));
      this.localParts.put(domain.toLowerCase(Locale.ROOT), set);
      return this;
    }

    public Builder maxMessageSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("max message size must be positive");
      }
      this.maxMessageSize = bytes;
      return this;
    }

    public Builder maxLineLength(int octets) {
      if (octets < 1000) {
        throw new IllegalArgumentException("max line length must be at least 1000 (RFC 5321 4.5.3.1.6)");
      }
      this.maxLineLength = octets;
      return this;
    }

    public Builder maxRecipients(int n) {
      if (n < 100) {
        throw new IllegalArgumentException("max recipients must be at least 100 (RFC 5321 4.5.3.1.8)");
      }
      this.maxRecipients = n;
      return this;
    }

    public Builder checkpointEnabled(boolean enabled) {
      this.checkpointEnabled = enabled;
      return this;
    }

    public Builder bindCheckpointToClientAddress(boolean bind) {
      this.bindCheckpointToClientAddress = bind;
      return this;
    }

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idle timeout");
      return this;
    }

    public Builder dataTimeout(Duration timeout) {
      this.dataTimeout = positive(timeout, "data timeout");
      return this;
    }

    public Builder maxConnections(int n) {
      this.maxConnections = atLeastOne(n, "max connections");
      return this;
    }

    public Builder maxConnectionsPerClient(int n) {
      this.maxConnectionsPerClient = atLeastOne(n, "max connections per client");
      return this;
    }

    public Builder maxErrors(int n) {
      this.maxErrors = atLeastOne(n, "max errors");
      return this;
    }

    public Builder greetingDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("greeting delay must not be negative");
      }
      this.greetingDelay = delay;
      return this;
    }

    /** Offers STARTTLS with this context (build it with {@link ServerTls}). */
    public Builder tls(SslContext context) {
      this.tls = Optional.of(context);
      return this;
    }

    public Builder implicitTls(boolean implicit) {
      this.implicitTls = implicit;
      return this;
    }

    public Builder authenticator(Authenticator users) {
      this.authenticator = Optional.of(users);
      return this;
    }

    public Builder authWithoutTls(boolean allowed) {
      this.authWithoutTls = allowed;
      return this;
    }

    public Builder requireAuth(boolean required) {
      this.requireAuth = required;
      return this;
    }

    public Builder maxAuthFailures(int n) {
      this.maxAuthFailures = atLeastOne(n, "max AUTH failures");
      return this;
    }

    public Builder checkpointPrefix(int v4Bits, int v6Bits) {
      if (v4Bits < 0 || v4Bits > 32 || v6Bits < 0 || v6Bits > 128) {
        throw new IllegalArgumentException("checkpoint prefix must be 0-32 (IPv4) and 0-128 (IPv6) bits");
      }
      this.checkpointPrefixV4 = v4Bits;
      this.checkpointPrefixV6 = v6Bits;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }

    private static int atLeastOne(int n, String name) {
      if (n < 1) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return n;
    }

    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}

package dev.relaypoint.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
  private final int maxConnections;
  private final List<Cidr> trustedNetworks;

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
    this.maxConnections = b.maxConnections;
    this.trustedNetworks = List.copyOf(b.trustedNetworks);
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
    b.maxConnections = maxConnections;
    b.trustedNetworks = trustedNetworks;
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

  /** How long the server waits for the next command or data before answering 421 and closing. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Clients in these networks may relay: their recipients in non-local domains are accepted and queued
   * for remote delivery. Everyone else gets 554 5.7.1 for a non-local domain. Default: loopback only.
   */
  public List<Cidr> trustedNetworks() {
    return trustedNetworks;
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
    private int maxConnections = 1000;
    private List<Cidr> trustedNetworks = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"));

    private Builder() {}

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
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("idle timeout must be positive");
      }
      this.idleTimeout = timeout;
      return this;
    }

    public Builder maxConnections(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max connections must be positive");
      }
      this.maxConnections = n;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}

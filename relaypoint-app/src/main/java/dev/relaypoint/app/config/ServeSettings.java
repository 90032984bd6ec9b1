package dev.relaypoint.app.config;

import dev.relaypoint.app.ConfigException;
import dev.relaypoint.mta.QueueManagerConfig;
import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.store.CheckpointPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The resolved settings of {@code relaypoint serve}: flags over config file over defaults. */
public record ServeSettings(ServerConfig server, Path dataDir, CheckpointPolicy checkpointPolicy,
    QueueManagerConfig relay, TlsSettings tls, AuthSettings auth) {

  /**
   * TLS as configured: off, or on with PEM files (both or neither), else a self-signed certificate
   * kept in {@code <data-dir>/tls}; optionally an implicit-TLS listener (RFC 8314, port 465 style).
   */
  public record TlsSettings(boolean enabled, Optional<Path> certificate, Optional<Path> key,
      Optional<InetSocketAddress> implicitListen) {

    static TlsSettings of(ConfigFile.Tls t) {
      if (t == null) {
        return new TlsSettings(true, Optional.empty(), Optional.empty(), Optional.empty());
      }
      boolean enabled = t.enabled() == null || t.enabled();
      if ((t.certificate() == null) != (t.key() == null)) {
        throw new ConfigException("tls: give both certificate and key, or neither (self-signed)");
      }
      if (!enabled && t.implicitListen() != null) {
        throw new ConfigException("tls: implicit-listen needs TLS enabled");
      }
      return new TlsSettings(enabled, Optional.ofNullable(t.certificate()).map(Path::of),
          Optional.ofNullable(t.key()).map(Path::of),
          Optional.ofNullable(t.implicitListen()).map(ServeSettings::parseListen));
    }
  }

  /**
   * AUTH as configured: the user file (default {@code <data-dir>/users}; AUTH is offered when it
   * exists), whether AUTH may be used without TLS, and an optional submission listener that requires it.
   */
  public record AuthSettings(Optional<Path> users, boolean withoutTls, Optional<InetSocketAddress> submissionListen) {

    static AuthSettings of(ConfigFile.Auth a) {
      if (a == null) {
        return new AuthSettings(Optional.empty(), false, Optional.empty());
      }
      return new AuthSettings(Optional.ofNullable(a.users()).map(Path::of), Boolean.TRUE.equals(a.withoutTls()),
          Optional.ofNullable(a.submissionListen()).map(ServeSettings::parseListen));
    }
  }

  /** The flag values of the serve command (null when not given). */
  public interface Flags {
    String listen();

    Path dataDir();

    String hostname();

    List<String> domains();

    String maxMessageSize();

    String checkpointRetention();

    String checkpointInterval();

    String checkpointBytes();

    boolean noCheckpoint();

    /** {@code --local-delivery maildir|discard}. */
    default String localDelivery() {
      return null;
    }

    default String checkpointRetentionUnauthenticated() {
      return null;
    }

    default Integer checkpointMaxPerClient() {
      return null;
    }

    default String checkpointMaxBytesPerClient() {
      return null;
    }

    default String checkpointMaxTotalBytes() {
      return null;
    }

    default String checkpointMinFreeSpace() {
      return null;
    }

    /** {@code --trusted-network CIDR}, repeatable. */
    default List<String> trustedNetworks() {
      return null;
    }

    /** {@code --route DOMAIN=HOST:PORT} or {@code DOMAIN=discard}, repeatable. */
    default List<String> routes() {
      return null;
    }

    default String smarthost() {
      return null;
    }
  }

  public static ServeSettings resolve(ConfigFile file, Flags flags) {
    ServerConfig.Builder b = ServerConfig.newBuilder()
        .trustedNetworks(RelaySettings.trustedNetworks(pick(flags.trustedNetworks(), file.trustedNetworks())));
    String listen = pick(flags.listen(), file.listen());
    if (listen != null) {
      b.listen(parseListen(listen));
    }
    String hostname = pick(flags.hostname(), file.hostname());
    b.hostname(hostname != null ? hostname : defaultHostname());
    List<String> domains = pick(flags.domains(), file.domains());
    if (domains != null) {
      b.localDomains(domains);
    }
    if (file.localParts() != null) {
      file.localParts().forEach(b::localParts);
    }
    apply(pick(flags.maxMessageSize(), file.maxMessageSize()), "max-message-size", Sizes::parseSize, b::maxMessageSize);
    apply(file.maxLineLength(), "max-line-length", Function.identity(), b::maxLineLength);
    apply(file.maxRecipients(), "max-recipients", Function.identity(), b::maxRecipients);
    apply(file.maxConnections(), "max-connections", Function.identity(), b::maxConnections);
    apply(file.idleTimeout(), "idle-timeout", Sizes::parseDuration, b::idleTimeout);
    apply(file.dataTimeout(), "data-timeout", Sizes::parseDuration, b::dataTimeout);
    apply(file.maxConnectionsPerClient(), "max-connections-per-client", Function.identity(), b::maxConnectionsPerClient);
    apply(file.maxErrors(), "max-errors", Function.identity(), b::maxErrors);
    apply(file.greetingDelay(), "greeting-delay", Sizes::parseDuration, b::greetingDelay);
    boolean checkpoint = !flags.noCheckpoint() && (file.checkpoint() == null || file.checkpoint());
    b.checkpointEnabled(checkpoint);
    if (file.checkpointBindAddress() != null) {
      b.bindCheckpointToClientAddress(file.checkpointBindAddress());
    }
    b.checkpointQuotas(QuotaSettings.resolve(file, flags));
    CheckpointPolicy d = CheckpointPolicy.DEFAULT;
    long bytes = convert(pick(flags.checkpointBytes(), file.checkpointBytes()), "checkpoint-bytes", Sizes::parseSize, d.bytes());
    Duration interval = convert(pick(flags.checkpointInterval(), file.checkpointInterval()), "checkpoint-interval", Sizes::parseDuration, d.interval());
    Duration retention = convert(pick(flags.checkpointRetention(), file.checkpointRetention()), "checkpoint-retention", Sizes::parseDuration, d.retention());
    // A retention set shorter than the unauthenticated default shortens both, rather than being an error.
    Duration unauthenticated = convert(pick(flags.checkpointRetentionUnauthenticated(), file.checkpointRetentionUnauthenticated()),
        "checkpoint-retention-unauthenticated", Sizes::parseDuration, min(d.unauthenticatedRetention(), retention));
    CheckpointPolicy policy;
    ServerConfig server;
    try {
      policy = new CheckpointPolicy(bytes, interval, retention, unauthenticated);
      server = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    Path dataDir = flags.dataDir() != null ? flags.dataDir()
        : Path.of(file.dataDir() != null ? file.dataDir() : "relaypoint-data");
    return new ServeSettings(server, dataDir, policy,
        RelaySettings.resolve(file, server, flags),
        TlsSettings.of(file.tls()), AuthSettings.of(file.auth()));
  }

  static InetSocketAddress parseListen(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ConfigException("--listen must be HOST:PORT, e.g. 127.0.0.1:2525 or [::1]:2525, not '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException("--listen port is not a number: '" + text + "'");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("--listen port must be 0-65535: '" + text + "'");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new ConfigException("--listen host is unknown: '" + host + "'");
    }
  }

  private static String defaultHostname() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  static <T> T pick(T flag, T file) {
    return flag != null ? flag : file;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static <S, T> void apply(S raw, String name, Function<S, T> parse, java.util.function.Consumer<T> set) {
    if (raw != null) {
      try {
        set.accept(parse.apply(raw));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name + ": " + e.getMessage());
      }
    }
  }

  private static <T> T convert(String raw, String name, Function<String, T> parse, T fallback) {
    if (raw == null) {
      return fallback;
    }
    try {
      return parse.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }

}

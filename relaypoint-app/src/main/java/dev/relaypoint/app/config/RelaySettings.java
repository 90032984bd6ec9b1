package dev.relaypoint.app.config;

import dev.relaypoint.app.ConfigException;
import dev.relaypoint.client.AddressResolver;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.mta.QueueManagerConfig;
import dev.relaypoint.mta.RetrySchedule;
import dev.relaypoint.server.Cidr;
import dev.relaypoint.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The relay part of {@code relaypoint serve}: trusted networks, routing, retries, concurrency. */
final class RelaySettings {

  private RelaySettings() {}

  static List<Cidr> trustedNetworks(List<String> given) {
    if (given == null) {
      return ServerConfig.newBuilder().build().trustedNetworks();
    }
    List<Cidr> out = new ArrayList<>();
    for (String n : given) {
      try {
        out.add(Cidr.parse(n));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("trusted-networks: " + e.getMessage());
      }
    }
    return out;
  }

  /** {@code DOMAIN=HOST:PORT} flags and the {@code routes} map of the file (flags win per domain). */
  static Map<String, Destination> routes(Map<String, String> file, List<String> flags) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (file != null) {
      raw.putAll(file);
    }
    if (flags != null) {
      for (String f : flags) {
        int eq = f.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException("--route must be DOMAIN=HOST:PORT, not '" + f + "'");
        }
        raw.put(f.substring(0, eq).trim(), f.substring(eq + 1).trim());
      }
    }
    Map<String, Destination> out = new LinkedHashMap<>();
    raw.forEach((domain, target) -> out.put(domain, server("routes: " + domain, target)));
    return out;
  }

  static QueueManagerConfig resolve(ConfigFile f, ServerConfig server, List<String> routeFlags, String smarthostFlag) {
    Map<String, Destination> routes = routes(f.routes(), routeFlags);
    QueueManagerConfig.Builder b = QueueManagerConfig.newBuilder().hostname(server.hostname())
        .localDomains(server.localDomains()).routes(routes);
    String smarthostText = smarthostFlag != null ? smarthostFlag : f.smarthost();
    Optional<Destination> smarthost = Optional.ofNullable(smarthostText).map(t -> server("smarthost", t));
    b.smarthost(smarthost);
    RelayTlsSettings.Policies tls = RelayTlsSettings.resolve(f.relayTls(), smarthost, routes);
    b.tls(tls.common()).destinationTls(tls.byDestination());
    if (f.dnsServer() != null) {
      Destination.Server dns = (Destination.Server) server("dns-server", f.dnsServer());
      b.resolver(AddressResolver.dns(new java.net.InetSocketAddress(dns.host(), dns.port())));
    }
    if (f.mxPort() != null) {
      b.mxPort(f.mxPort());
    }
    RetrySchedule d = RetrySchedule.DEFAULT;
    try {
      b.retry(new RetrySchedule(duration(f.retryMinDelay(), "retry-min-delay", d.minDelay()),
          duration(f.retryMaxDelay(), "retry-max-delay", d.maxDelay()),
          f.retryJitter() != null ? f.retryJitter() : d.jitter(),
          duration(f.maxQueueLifetime(), "max-queue-lifetime", d.maxLifetime())));
      Duration reconnect = duration(f.reconnectDelay(), "reconnect-delay", Duration.ofSeconds(10));
      int attempts = f.reconnectAttempts() != null ? f.reconnectAttempts() : 3;
      b.clientRetry(new RetryPolicy(attempts, reconnect, reconnect.multipliedBy(8), 2.0));
      if (f.maxActive() != null) {
        b.maxActive(f.maxActive());
      }
      if (f.destinationConcurrency() != null) {
        b.destinationLimit(f.destinationConcurrency());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Destination server(String what, String text) {
    try {
      return Destination.parseServer(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(what + ": " + e.getMessage());
    }
  }

  private static Duration duration(String raw, String name, Duration fallback) {
    if (raw == null) {
      return fallback;
    }
    try {
      return Sizes.parseDuration(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }
}

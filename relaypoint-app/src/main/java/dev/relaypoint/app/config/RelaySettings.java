package dev.relaypoint.app.config;

import dev.relaypoint.app.ConfigException;
import dev.relaypoint.client.AddressResolver;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.mta.LocalDelivery;
import dev.relaypoint.mta.QueueManagerConfig;
import dev.relaypoint.mta.RetrySchedule;
import dev.relaypoint.mta.Route;
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

  /** The target of a static route that throws the domain's mail away (a host of that name: {@code discard:25}). */
  static final String DISCARD = "discard";

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

  /**
   * {@code DOMAIN=HOST:PORT} (or {@code DOMAIN=discard}) flags and the {@code routes} map of the file
   * (flags win per domain).
   */
  static Map<String, Route> routes(Map<String, String> file, List<String> flags) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (file != null) {
      raw.putAll(file);
    }
    if (flags != null) {
      for (String f : flags) {
        int eq = f.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException("--route must be DOMAIN=HOST:PORT or DOMAIN=discard, not '" + f + "'");
        }
        raw.put(f.substring(0, eq).trim(), f.substring(eq + 1).trim());
      }
    }
    Map<String, Route> out = new LinkedHashMap<>();
    raw.forEach((domain, target) -> out.put(domain, target.equalsIgnoreCase(DISCARD) ? new Route.Discard()
        : new Route.Remote(server("routes: " + domain, target))));
    return out;
  }

  /** {@code maildir} (the default) or {@code discard}. */
  static LocalDelivery localDelivery(String text) {
    if (text == null) {
      return LocalDelivery.MAILDIR;
    }
    try {
      return LocalDelivery.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("local-delivery: " + e.getMessage());
    }
  }

  static QueueManagerConfig resolve(ConfigFile f, ServerConfig server, ServeSettings.Flags flags) {
    Map<String, Route> routes = routes(f.routes(), flags.routes());
    // The server's local domains, the same set that decides who may relay: a discard route or
    // local-delivery only changes where accepted mail goes.
    QueueManagerConfig.Builder b = QueueManagerConfig.newBuilder().hostname(server.hostname())
        .localDomains(server.localDomains())
        .localDelivery(localDelivery(ServeSettings.pick(flags.localDelivery(), f.localDelivery()))).routes(routes);
    String smarthostText = ServeSettings.pick(flags.smarthost(), f.smarthost());
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

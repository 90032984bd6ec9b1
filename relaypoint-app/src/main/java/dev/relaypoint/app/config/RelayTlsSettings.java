package dev.relaypoint.app.config;

import dev.relaypoint.app.ConfigException;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.TlsMode;
import dev.relaypoint.client.TlsPolicy;
import dev.relaypoint.mta.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code relay-tls} section turned into client TLS policies: one for MX delivery (and every
 * destination not named), and overrides for the smarthost and for static routes by domain.
 */
final class RelayTlsSettings {

  /** The policy for everything, and the destinations that differ from it. */
  record Policies(TlsPolicy common, Map<Destination, TlsPolicy> byDestination) {}

  private RelayTlsSettings() {}

  static Policies resolve(ConfigFile.RelayTls t, Optional<Destination> smarthost, Map<String, Route> routes) {
    if (t == null) {
      return new Policies(TlsPolicy.opportunistic(), Map.of());
    }
    TlsPolicy base = trust(t, TlsPolicy.of(mode("relay-tls.mode", t.mode(), TlsMode.OPPORTUNISTIC)));
    Map<Destination, TlsPolicy> out = new LinkedHashMap<>();
    if (t.smarthost() != null) {
      Destination d = smarthost.orElseThrow(() -> new ConfigException("relay-tls.smarthost: no smarthost is set"));
      out.put(d, base.withMode(mode("relay-tls.smarthost", t.smarthost(), null)));
    }
    if (t.routes() != null) {
      t.routes().forEach((domain, text) -> {
        Route route = routes.entrySet().stream().filter(r -> r.getKey().equalsIgnoreCase(domain))
            .map(Map.Entry::getValue).findFirst()
            .orElseThrow(() -> new ConfigException("relay-tls.routes: no route for " + domain));
        if (!(route instanceof Route.Remote remote)) {
          throw new ConfigException("relay-tls.routes: " + domain + " is discarded, not relayed");
        }
        Destination d = remote.destination();
        TlsPolicy p = base.withMode(mode("relay-tls.routes." + domain, text, null));
        TlsPolicy earlier = out.putIfAbsent(d, p);
        if (earlier != null && earlier.mode() != p.mode()) {
          throw new ConfigException("relay-tls: " + d + " is given both " + earlier.mode() + " and " + p.mode());
        }
      });
    }
    return new Policies(base, out);
  }

  private static TlsMode mode(String name, String text, TlsMode fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return TlsMode.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }

  private static TlsPolicy trust(ConfigFile.RelayTls t, TlsPolicy p) {
    boolean insecure = Boolean.TRUE.equals(t.insecure());
    if (insecure && t.caFile() != null) {
      throw new ConfigException("relay-tls: give ca-file or insecure, not both");
    }
    if (t.caFile() != null) {
      Path ca = Path.of(t.caFile());
      if (!Files.isReadable(ca)) {
        throw new ConfigException("relay-tls.ca-file: cannot read " + ca);
      }
      return p.trusting(ca);
    }
    return insecure ? p.insecureTrustAllForLabUseOnly() : p;
  }
}

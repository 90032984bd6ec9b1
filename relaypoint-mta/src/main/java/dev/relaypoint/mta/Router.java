package dev.relaypoint.mta;

import dev.relaypoint.client.Destination;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the {@link Route} of a recipient domain, first match wins: a local domain; a static route
 * for exactly that domain ({@code example.org = 127.0.0.1:2526}); the smarthost; else the domain's MX
 * hosts (A/AAAA when it has none, a null MX or NXDOMAIN is a permanent failure reported by the
 * client's resolver) on {@code mxPort}.
 */
public final class Router {

  private final Set<String> localDomains;
  private final Map<String, Destination> routes;
  private final Optional<Destination> smarthost;
  private final int mxPort;

  public Router(Set<String> localDomains, Map<String, Destination> routes, Optional<Destination> smarthost,
      int mxPort) {
    this.localDomains = Set.copyOf(localDomains.stream().map(Router::normalize).toList());
    Map<String, Destination> r = new LinkedHashMap<>();
    routes.forEach((domain, d) -> r.put(normalize(domain), d));
    this.routes = Map.copyOf(r);
    this.smarthost = smarthost;
    this.mxPort = mxPort;
  }

  public Route route(String recipient) {
    String domain = normalize(recipient.substring(recipient.lastIndexOf('@') + 1));
    if (localDomains.contains(domain)) {
      return new Route.Local();
    }
    Destination fixed = routes.get(domain);
    if (fixed != null) {
      return new Route.Remote(fixed);
    }
    return new Route.Remote(smarthost.orElseGet(() -> new Destination.Mx(domain, mxPort)));
  }

  public boolean isLocal(String recipient) {
    return route(recipient) instanceof Route.Local;
  }

  private static String normalize(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}

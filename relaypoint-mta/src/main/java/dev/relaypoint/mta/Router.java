package dev.relaypoint.mta;

import dev.relaypoint.client.Destination;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the {@link Route} of a recipient domain, first match wins: a local domain (Maildir or
 * discard, as {@link LocalDelivery} says); a static route for exactly that domain
 * ({@code example.org = 127.0.0.1:2526}, or discard); the smarthost; else the domain's MX hosts (A/AAAA
 * when it has none, a null MX or NXDOMAIN is a permanent failure reported by the client's resolver) on
 * {@code mxPort}. Routing only says where accepted mail goes: which recipients are accepted, and from
 * whom, is the server's decision on its own local domains.
 */
public final class Router {

  private final Set<String> localDomains;
  private final LocalDelivery localDelivery;
  private final Map<String, Route> routes;
  private final Optional<Destination> smarthost;
  private final int mxPort;

  /** @throws IllegalArgumentException when a static route is {@link Route.Local} ({@link #checkRoutes}) */
  public Router(Set<String> localDomains, LocalDelivery localDelivery, Map<String, Route> routes,
      Optional<Destination> smarthost, int mxPort) {
    this.localDomains = Set.copyOf(localDomains.stream().map(Router::normalize).toList());
    this.localDelivery = localDelivery;
    checkRoutes(routes);
    Map<String, Route> r = new LinkedHashMap<>();
    routes.forEach((domain, route) -> r.put(normalize(domain), route));
    this.routes = Map.copyOf(r);
    this.smarthost = smarthost;
    this.mxPort = mxPort;
  }

  /**
   * @throws IllegalArgumentException when a static route is {@link Route.Local}: Maildir is only for
   *     local domains
   */
  static void checkRoutes(Map<String, Route> routes) {
    routes.forEach((domain, route) -> {
      if (route instanceof Route.Local) {
        throw new IllegalArgumentException("static route for " + domain
            + ": a route goes to a server or is discarded; Maildir is only for local domains");
      }
    });
  }

  public Route route(String recipient) {
    String domain = domainOf(recipient);
    if (localDomains.contains(domain)) {
      return localDelivery.route();
    }
    Route fixed = routes.get(domain);
    if (fixed != null) {
      return fixed;
    }
    return new Route.Remote(smarthost.orElseGet(() -> new Destination.Mx(domain, mxPort)));
  }

  /** Whether the address is in a local domain, however local mail is delivered. */
  public boolean isLocal(String recipient) {
    return localDomains.contains(domainOf(recipient));
  }

  private static String domainOf(String address) {
    return normalize(address.substring(address.lastIndexOf('@') + 1));
  }

  private static String normalize(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}

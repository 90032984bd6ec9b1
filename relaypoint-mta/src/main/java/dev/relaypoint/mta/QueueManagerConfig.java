package dev.relaypoint.mta;

import dev.relaypoint.client.AddressResolver;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.client.Timeouts;
import dev.relaypoint.client.TlsPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the queue manager routes, delivers and retries. Immutable; {@link #newBuilder()} gives
 * Postfix-like defaults (50 active entries, 20 connections per destination, 5 min to 4 h backoff,
 * bounce after 5 days).
 *
 * @param hostname          EHLO name, TRANSID domain, Reporting-MTA of bounces, Maildir file names
 * @param localDomains      the domains the server accepts mail for from anyone
 * @param localDelivery     what local mail gets: Maildir (the default) or discard
 * @param routes            static routes: recipient domain to a fixed server ({@link Route.Remote}) or
 *                          {@link Route.Discard}
 * @param smarthost         where all other mail goes, instead of the MX hosts
 * @param mxPort            the port of MX hosts (25; tests use another)
 * @param resolver          MX and A/AAAA resolution for the client
 * @param retry             the queue's retry schedule and lifetime
 * @param clientRetry       reconnects within one delivery attempt (RFC 1845 §3: wait, then resume)
 * @param timeouts          client timeouts per SMTP phase
 * @param tls               STARTTLS for remote delivery: opportunistic by default (MX hosts seldom have
 *                          certificates a client could verify, RFC 7435)
 * @param destinationTls    a different TLS policy for given destinations (a smarthost or a static route
 *                          that must be {@code required})
 * @param maxActive         entries in the active set at most (one delivery thread each)
 * @param destinationLimit  concurrent deliveries to one destination at most
 * @param pollInterval      how often deferred entries and operator requests are looked at
 * @param clock             the time source for status, retries and expiry
 */
public record QueueManagerConfig(String hostname, Set<String> localDomains, LocalDelivery localDelivery,
    Map<String, Route> routes, Optional<Destination> smarthost, int mxPort, AddressResolver resolver, RetrySchedule retry,
    RetryPolicy clientRetry, Timeouts timeouts, TlsPolicy tls, Map<Destination, TlsPolicy> destinationTls,
    int maxActive, int destinationLimit, Duration pollInterval,
    Clock clock) {

  public QueueManagerConfig {
    Objects.requireNonNull(hostname, "hostname");
    localDomains = Set.copyOf(localDomains);
    Objects.requireNonNull(localDelivery, "localDelivery");
    routes = Map.copyOf(routes);
    Objects.requireNonNull(smarthost, "smarthost");
    // A static route to Maildir is refused when the config is built, not at the first delivery.
    Router.checkRoutes(routes);
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(clientRetry, "clientRetry");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(tls, "tls");
    destinationTls = Map.copyOf(destinationTls);
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(clock, "clock");
    if (maxActive < 1 || destinationLimit < 1) {
      throw new IllegalArgumentException("active set and destination limit must be at least 1");
    }
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.hostname = hostname;
    b.localDomains = new LinkedHashSet<>(localDomains);
    b.localDelivery = localDelivery;
    b.routes = new LinkedHashMap<>(routes);
    b.smarthost = smarthost;
    b.mxPort = mxPort;
    b.resolver = resolver;
    b.retry = retry;
    b.clientRetry = clientRetry;
    b.timeouts = timeouts;
    b.tls = tls;
    b.destinationTls = new LinkedHashMap<>(destinationTls);
    b.maxActive = maxActive;
    b.destinationLimit = destinationLimit;
    b.pollInterval = pollInterval;
    b.clock = clock;
    return b;
  }

  public Router router() {
    return new Router(localDomains, localDelivery, routes, smarthost, mxPort);
  }

  /** Builder with the defaults named on {@link QueueManagerConfig}. */
  public static final class Builder {
    private String hostname = "localhost";
    private Set<String> localDomains = new LinkedHashSet<>(Set.of("localhost"));
    private LocalDelivery localDelivery = LocalDelivery.MAILDIR;
    private Map<String, Route> routes = new LinkedHashMap<>();
    private Optional<Destination> smarthost = Optional.empty();
    private int mxPort = Destination.SMTP_PORT;
    private AddressResolver resolver = AddressResolver.dns();
    private RetrySchedule retry = RetrySchedule.DEFAULT;
    private RetryPolicy clientRetry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0);
    private Timeouts timeouts = Timeouts.rfc5321();
    private TlsPolicy tls = TlsPolicy.opportunistic();
    private Map<Destination, TlsPolicy> destinationTls = new LinkedHashMap<>();
    private int maxActive = 50;
    private int destinationLimit = 20;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder hostname(String v) {
      hostname = v;
      return this;
    }

    public Builder localDomains(Set<String> v) {
      localDomains = new LinkedHashSet<>(v);
      return this;
    }

    public Builder localDelivery(LocalDelivery v) {
      localDelivery = v;
      return this;
    }

    /** A static route to a server. */
    public Builder route(String domain, Destination destination) {
      return route(domain, new Route.Remote(destination));
    }

    /** A static route: {@link Route.Remote} or {@link Route.Discard}. */
    public Builder route(String domain, Route route) {
      routes.put(domain, route);
      return this;
    }

    public Builder routes(Map<String, Route> v) {
      routes = new LinkedHashMap<>(v);
      return this;
    }

    public Builder smarthost(Optional<Destination> v) {
      smarthost = v;
      return this;
    }

    public Builder mxPort(int v) {
      mxPort = v;
      return this;
    }

    public Builder resolver(AddressResolver v) {
      resolver = v;
      return this;
    }

    public Builder retry(RetrySchedule v) {
      retry = v;
      return this;
    }

    public Builder clientRetry(RetryPolicy v) {
      clientRetry = v;
      return this;
    }

    public Builder timeouts(Timeouts v) {
      timeouts = v;
      return this;
    }

    public Builder tls(TlsPolicy v) {
      tls = v;
      return this;
    }

    public Builder destinationTls(Map<Destination, TlsPolicy> v) {
      destinationTls = new LinkedHashMap<>(v);
      return this;
    }

    public Builder maxActive(int v) {
      maxActive = v;
      return this;
    }

    public Builder destinationLimit(int v) {
      destinationLimit = v;
      return this;
    }

    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public QueueManagerConfig build() {
      return new QueueManagerConfig(hostname, localDomains, localDelivery, routes, smarthost, mxPort, resolver, retry,
          clientRetry, timeouts, tls, destinationTls, maxActive, destinationLimit, pollInterval, clock);
    }
  }
}

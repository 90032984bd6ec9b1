package dev.relaypoint.client;

import dev.relaypoint.client.internal.DnsJavaResolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Turns a {@link Destination} into the socket addresses to try, best first (RFC 5321 §5.1: MX
 * preference order, then each host's addresses). Called again before every attempt, because RFC 1845
 * §3 asks the client to redo the lookup after an interruption.
 */
@FunctionalInterface
public interface AddressResolver {

  /**
   * Returns at least one address.
   *
   * @throws java.net.UnknownHostException when the name certainly does not exist or accepts no mail
   *     (NXDOMAIN, null MX): a permanent failure
   * @throws IOException for a failure worth retrying (timeout, SERVFAIL)
   */
  List<InetSocketAddress> resolve(Destination destination) throws IOException;

  /** dnsjava with the system's configured name servers. */
  static AddressResolver dns() {
    return new DnsJavaResolver(null);
  }

  /** dnsjava asking only the given name server. */
  static AddressResolver dns(InetSocketAddress nameServer) {
    return new DnsJavaResolver(nameServer);
  }

  /** Always the same addresses, whatever the destination: for tests and static routes. */
  static AddressResolver fixed(List<InetSocketAddress> addresses) {
    List<InetSocketAddress> copy = List.copyOf(addresses);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no addresses");
    }
    return destination -> copy;
  }
}

package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in total and per client IP address, for the 421 at the greeting
 * (SECURITY-TESTS.md §3.4). Every {@link #admit} is paired with one {@link #release}, refused or not.
 * Clients in {@code trusted-networks} are exempt from the per-client limit (the operator's own
 * hosts, often one busy relay or submission host; Postfix's anvil exempts {@code $mynetworks} the
 * same way), but they count towards the total.
 */
final class ConnectionLimits {

  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionLimits(ServerConfig config) {
    this.maxTotal = config.maxConnections();
    this.maxPerClient = config.maxConnectionsPerClient();
  }

  /** Counts the connection; false if it is over a limit (and must be refused, then released). */
  boolean admit(String clientAddress, boolean trusted) {
    int all = total.incrementAndGet();
    int mine = perClient.merge(clientAddress, 1, Integer::sum);
    return all <= maxTotal && (trusted || mine <= maxPerClient);
  }

  void release(String clientAddress) {
    total.decrementAndGet();
    perClient.computeIfPresent(clientAddress, (k, n) -> n <= 1 ? null : n - 1);
  }
}

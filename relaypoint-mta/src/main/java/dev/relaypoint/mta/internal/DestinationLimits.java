package dev.relaypoint.mta.internal;

import dev.relaypoint.client.Destination;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code limit} concurrent deliveries per destination (a static route's server, the smarthost,
 * or one domain's MX set). Never blocks: a busy destination postpones the group instead, so delivery
 * threads are not tied up waiting while other destinations could be served.
 */
public final class DestinationLimits {

  private final int limit;
  private final ConcurrentHashMap<String, Semaphore> slots = new ConcurrentHashMap<>();

  public DestinationLimits(int limit) {
    this.limit = limit;
  }

  public boolean tryAcquire(Destination d) {
    return slots.computeIfAbsent(d.toString(), k -> new Semaphore(limit)).tryAcquire();
  }

  public void release(Destination d) {
    slots.get(d.toString()).release();
  }

  /** Deliveries running to {@code d} now. */
  public int inUse(Destination d) {
    Semaphore s = slots.get(d.toString());
    return s == null ? 0 : limit - s.availablePermits();
  }
}

package dev.relaypoint.store.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who owns which checkpoint directory now, keyed by its file name. Sessions and the reaper both
 * take a lease, so the reaper can never delete a transaction a session is using.
 */
final class Leases {

  private final ConcurrentMap<String, Object> owners = new ConcurrentHashMap<>();

  boolean tryAcquire(String name, Object owner) {
    return owners.putIfAbsent(name, owner) == null;
  }

  void release(String name, Object owner) {
    owners.remove(name, owner);
  }
}

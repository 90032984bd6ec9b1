package dev.relaypoint.store;

import java.util.Objects;

/**
 * Whom an open checkpoint is charged to, for quotas and retention (SECURITY-TESTS.md §4 A6). The
 * {@code key} is opaque to the store: the server derives it (a client address prefix, or the AUTH
 * identity) and the store only groups by it. {@code authenticated} picks the retention.
 */
public record CheckpointOwner(String key, boolean authenticated) {

  public CheckpointOwner {
    Objects.requireNonNull(key, "key");
  }

  /**
   * The owner of a checkpoint stored before owners were recorded, or begun without one: the exact
   * client address, authenticated when the RFC 3848 protocol name says so (ESMTPA, ESMTPSA).
   */
  public static CheckpointOwner derivedFrom(Envelope envelope) {
    return new CheckpointOwner(envelope.clientAddress(), envelope.protocol().endsWith("A"));
  }
}

package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;

/**
 * Written into the header of a message received with TRANSID: which checkpoint key
 * ({@link dev.relaypoint.store.CheckpointKey#fileName()}) it belongs to and whom it is charged to. A
 * queue entry that carries it is the completion record of its transaction while it is queued
 * (package-info, "Transactions that never reach a checkpoint").
 */
record TransactionTag(String keyFileName, CheckpointOwner owner) {

  TransactionTag {
    if (!isKeyFileName(keyFileName)) {
      throw new IllegalArgumentException("not a checkpoint key name: " + keyFileName);
    }
  }

  /** 64 lower-case hex digits: the only names that may become a path under checkpoints/. */
  static boolean isKeyFileName(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}

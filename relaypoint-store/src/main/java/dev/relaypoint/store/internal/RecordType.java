package dev.relaypoint.store.internal;

import java.util.Optional;

/** The record types of queue entries and checkpoint journals. Codes are on disk: never renumber. */
public enum RecordType {
  FILE_HEADER(0x01),
  ENVELOPE(0x02),
  DATA_START(0x03),
  TRAILER(0x04),
  /** Optional, between ENVELOPE and DATA_START: the RFC 1845 transaction a message belongs to. */
  TRANSACTION(0x05),
  OPEN(0x10),
  PROGRESS(0x11),
  COMPLETED(0x12),
  /** The whole delivery status of a queue entry (queue/status/&lt;qid&gt;). */
  STATUS(0x20);

  private final byte code;

  RecordType(int code) {
    this.code = (byte) code;
  }

  public byte code() {
    return code;
  }

  public static Optional<RecordType> of(byte code) {
    for (RecordType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}

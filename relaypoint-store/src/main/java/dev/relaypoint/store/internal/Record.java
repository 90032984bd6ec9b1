package dev.relaypoint.store.internal;

import java.nio.ByteBuffer;

/** One decoded record. The payload buffer is read-only and at most {@link Records#MAX_PAYLOAD} long. */
public record Record(RecordType type, ByteBuffer payload) {

  public Record {
    payload = payload.asReadOnlyBuffer();
  }

  /** A fresh view of the payload, so every reader starts at its beginning. */
  @Override
  public ByteBuffer payload() {
    return payload.duplicate();
  }
}

package dev.relaypoint.store.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes self-validating records: {@code type(1) length(4) payload(length) crc32c(4) end(1)}, where
 * the CRC covers type, length and payload. Like Postfix queue records, a record is valid only when
 * every part checks, so a torn or bit-rotted record is always detected.
 */
public final class Records {

  /** Cap on a payload, so a corrupt length can never make a reader allocate much. */
  public static final int MAX_PAYLOAD = 1 << 20;

  static final int HEADER = 5;
  static final int FOOTER = 5;
  /** Bytes a record adds around its payload. */
  public static final int OVERHEAD = HEADER + FOOTER;
  static final byte END = (byte) 0xE7;

  private Records() {}

  public static ByteBuffer encode(RecordType type, ByteBuffer payload) {
    int length = payload.remaining();
    if (length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("record payload too large: " + length);
    }
    ByteBuffer out = ByteBuffer.allocate(OVERHEAD + length);
    out.put(type.code()).putInt(length).put(payload.duplicate());
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, HEADER + length);
    out.putInt((int) crc.getValue()).put(END);
    return out.flip();
  }

  public static ByteBuffer encode(RecordType type, byte[] payload) {
    return encode(type, ByteBuffer.wrap(payload));
  }
}

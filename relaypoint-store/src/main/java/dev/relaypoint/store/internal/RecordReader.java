package dev.relaypoint.store.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Decodes one record: a pure function over bytes (the fuzzing target). Every failure is a checked
 * {@link CorruptRecordException}; nothing is allocated beyond {@link Records#MAX_PAYLOAD}.
 */
public final class RecordReader {

  private RecordReader() {}

  /**
   * Reads the record at {@code in}'s position and, only on success, advances the position past it.
   *
   * @throws TruncatedRecordException if the input ends inside the record
   * @throws CorruptRecordException for any other invalid byte
   */
  public static Record read(ByteBuffer in) throws CorruptRecordException {
    ByteBuffer buf = in.duplicate();
    int start = buf.position();
    if (buf.remaining() < Records.HEADER) {
      throw new TruncatedRecordException("record header truncated at " + start);
    }
    byte code = buf.get();
    RecordType type = RecordType.of(code).orElseThrow(() -> new CorruptRecordException(
        String.format("unknown record type 0x%02x at %d", code & 0xff, start)));
    int length = buf.getInt();
    if (length < 0 || length > Records.MAX_PAYLOAD) {
      throw new CorruptRecordException("impossible record length " + length + " at " + start);
    }
    if (buf.remaining() < length + Records.FOOTER) {
      throw new TruncatedRecordException(
          "record of " + length + " bytes truncated at " + start + " (" + buf.remaining() + " left)");
    }
    ByteBuffer covered = buf.duplicate();
    covered.position(start).limit(start + Records.HEADER + length);
    CRC32C crc = new CRC32C();
    crc.update(covered);
    ByteBuffer payload = ByteBuffer.allocate(length);
    buf.get(payload.array());
    int stored = buf.getInt();
    if (stored != (int) crc.getValue()) {
      throw new CorruptRecordException("record CRC mismatch at " + start + " (" + type + ")");
    }
    if (buf.get() != Records.END) {
      throw new CorruptRecordException("record end marker missing at " + start + " (" + type + ")");
    }
    in.position(buf.position());
    return new Record(type, payload);
  }

  /** Like {@link #read(ByteBuffer)} but also insists on the type. */
  public static Record read(ByteBuffer in, RecordType expected) throws CorruptRecordException {
    Record r = read(in);
    if (r.type() != expected) {
      throw new CorruptRecordException("expected " + expected + " record, found " + r.type());
    }
    return r;
  }
}

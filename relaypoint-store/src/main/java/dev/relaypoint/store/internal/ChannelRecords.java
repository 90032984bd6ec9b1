package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads records from a file one at a time, so a long journal is streamed, never loaded whole. Memory
 * is bounded by {@link Records#MAX_PAYLOAD}.
 */
final class ChannelRecords {

  private ChannelRecords() {}

  /** A record and the file position just after it. */
  record At(Record record, long next) {}

  static At readAt(FileChannel ch, long position) throws IOException, CorruptRecordException {
    ByteBuffer head = ByteBuffer.allocate(Records.HEADER);
    readFully(ch, head, position);
    head.flip();
    if (head.remaining() < Records.HEADER) {
      throw new TruncatedRecordException("record header truncated at " + position);
    }
    byte code = head.get(0);
    if (RecordType.of(code).isEmpty()) {
      throw new CorruptRecordException(
          String.format("unknown record type 0x%02x at %d", code & 0xff, position));
    }
    int length = head.getInt(1);
    if (length < 0 || length > Records.MAX_PAYLOAD) {
      throw new CorruptRecordException("impossible record length " + length + " at " + position);
    }
    ByteBuffer whole = ByteBuffer.allocate(Records.OVERHEAD + length);
    whole.put(head);
    readFully(ch, whole, position + Records.HEADER);
    whole.flip();
    try {
      Record r = RecordReader.read(whole);
      return new At(r, position + whole.position());
    } catch (CorruptRecordException e) {
      throw withPosition(e, position);
    }
  }

  private static CorruptRecordException withPosition(CorruptRecordException e, long position) {
    String msg = e.getMessage() + " (file offset " + position + ")";
    return e instanceof TruncatedRecordException
        ? new TruncatedRecordException(msg) : new CorruptRecordException(msg);
  }

  /** Reads until {@code buf} is full or EOF. */
  static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }
}

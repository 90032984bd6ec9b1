package dev.relaypoint.store.internal;

import dev.relaypoint.store.Envelope;
import java.nio.ByteBuffer;

/**
 * The records of a checkpoint journal. Each carries {@code at} (epoch millis of the injected clock)
 * so that retention is judged by the same clock that wrote it.
 */
public sealed interface JournalRecord {

  long at();

  ByteBuffer encode();

  /** First record: what the transaction is and the queue id it will have. */
  record Open(String queueId, Envelope envelope, long at) implements JournalRecord {
    @Override
    public ByteBuffer encode() {
      PayloadWriter w = new PayloadWriter().putString(queueId).putLong(at);
      EnvelopeCodec.write(w, envelope);
      return Records.encode(RecordType.OPEN, w.toByteArray());
    }
  }

  /** {@code offset} canonical octets, ending at a line end, are forced to disk. */
  record Progress(long offset, long at) implements JournalRecord {
    @Override
    public ByteBuffer encode() {
      return Records.encode(RecordType.PROGRESS, new PayloadWriter().putLong(offset).putLong(at)
          .toByteArray());
    }
  }

  /** The tombstone: queued as {@code queueId}, {@code size} octets with CRC32C {@code crc}. */
  record Completed(String queueId, long size, int crc, long at) implements JournalRecord {
    @Override
    public ByteBuffer encode() {
      return Records.encode(RecordType.COMPLETED, new PayloadWriter().putString(queueId)
          .putLong(size).putInt(crc).putLong(at).toByteArray());
    }
  }

  static JournalRecord decode(Record record) throws CorruptRecordException {
    PayloadReader r = new PayloadReader(record.payload(), record.type().name());
    JournalRecord result = switch (record.type()) {
      case OPEN -> {
        String qid = r.getString();
        long at = r.getLong();
        yield new Open(qid, EnvelopeCodec.read(r), at);
      }
      case PROGRESS -> {
        long offset = r.getLong();
        if (offset < 0) {
          throw r.corrupt("negative offset " + offset);
        }
        yield new Progress(offset, r.getLong());
      }
      case COMPLETED -> {
        String qid = r.getString();
        long size = r.getLong();
        if (size < 0) {
          throw r.corrupt("negative size " + size);
        }
        yield new Completed(qid, size, r.getInt(), r.getLong());
      }
      default -> throw r.corrupt("not a journal record");
    };
    r.expectEnd();
    return result;
  }
}

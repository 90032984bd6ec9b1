package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import java.nio.ByteBuffer;

/**
 * The records of a checkpoint journal. Each carries {@code at} (epoch millis of the injected clock)
 * so that retention is judged by the same clock that wrote it.
 */
public sealed interface JournalRecord {

  long at();

  ByteBuffer encode();

  /**
   * First record: what the transaction is, the queue id it will have, and whom it is charged to. The
   * owner comes last and is optional when read, so journals written before owners were recorded still
   * open ({@link CheckpointOwner#derivedFrom}); an older Relaypoint would quarantine a journal that has it.
   */
  record Open(String queueId, Envelope envelope, long at, CheckpointOwner owner) implements JournalRecord {

    Open(String queueId, Envelope envelope, long at) {
      this(queueId, envelope, at, CheckpointOwner.derivedFrom(envelope));
    }

    @Override
    public ByteBuffer encode() {
      PayloadWriter w = new PayloadWriter().putString(queueId).putLong(at);
      EnvelopeCodec.write(w, envelope);
      w.putString(owner.key()).putByte(owner.authenticated() ? 1 : 0);
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
        Envelope envelope = EnvelopeCodec.read(r);
        yield r.hasRemaining() ? new Open(qid, envelope, at, readOwner(r)) : new Open(qid, envelope, at);
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

  private static CheckpointOwner readOwner(PayloadReader r) throws CorruptRecordException {
    String key = r.getString();
    int authenticated = r.getByte();
    if (authenticated > 1) {
      throw r.corrupt("bad authenticated flag " + authenticated);
    }
    return new CheckpointOwner(key, authenticated == 1);
  }
}

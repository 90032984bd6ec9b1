package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Payloads of the records that frame a message file (queue entry or checkpointed message). */
final class EntryRecords {

  static final int MAGIC = 0x524C5950; // "RLYP"
  static final int VERSION = 1;
  /** A trailer record is fixed-size, so it can be found by reading the file's last bytes. */
  static final int TRAILER_LENGTH = Records.OVERHEAD + 12;

  private EntryRecords() {}

  /** FILE_HEADER, ENVELOPE, TRANSACTION if given, and DATA_START: everything before the raw data. */
  static ByteBuffer header(String queueId, Envelope envelope, Optional<TransactionTag> transaction) {
    ByteBuffer fh = Records.encode(RecordType.FILE_HEADER,
        new PayloadWriter().putInt(MAGIC).putInt(VERSION).putString(queueId).toByteArray());
    PayloadWriter env = new PayloadWriter();
    EnvelopeCodec.write(env, envelope);
    ByteBuffer er = Records.encode(RecordType.ENVELOPE, env.toByteArray());
    ByteBuffer tr = transaction.map(EntryRecords::encodeTransaction).orElse(ByteBuffer.allocate(0));
    ByteBuffer ds = Records.encode(RecordType.DATA_START, new byte[0]);
    ByteBuffer all = ByteBuffer.allocate(fh.remaining() + er.remaining() + tr.remaining() + ds.remaining());
    return all.put(fh).put(er).put(tr).put(ds).flip();
  }

  static ByteBuffer header(String queueId, Envelope envelope) {
    return header(queueId, envelope, Optional.empty());
  }

  private static ByteBuffer encodeTransaction(TransactionTag t) {
    return Records.encode(RecordType.TRANSACTION, new PayloadWriter().putString(t.keyFileName())
        .putString(t.owner().key()).putByte(t.owner().authenticated() ? 1 : 0).toByteArray());
  }

  static TransactionTag decodeTransaction(Record r) throws CorruptRecordException {
    PayloadReader p = new PayloadReader(r.payload(), "TRANSACTION");
    String key = p.getString();
    if (!TransactionTag.isKeyFileName(key)) {
      throw p.corrupt("not a checkpoint key name");
    }
    String owner = p.getString();
    int authenticated = p.getByte();
    if (authenticated > 1) {
      throw p.corrupt("bad authenticated flag " + authenticated);
    }
    p.expectEnd();
    return new TransactionTag(key, new CheckpointOwner(owner, authenticated == 1));
  }

  static ByteBuffer trailer(long size, int crc) {
    return Records.encode(RecordType.TRAILER, new PayloadWriter().putLong(size).putInt(crc)
        .toByteArray());
  }

  static String decodeFileHeader(Record r) throws CorruptRecordException {
    PayloadReader p = new PayloadReader(r.payload(), "FILE_HEADER");
    int magic = p.getInt();
    int version = p.getInt();
    if (magic != MAGIC) {
      throw p.corrupt(String.format("bad magic 0x%08x", magic));
    }
    if (version != VERSION) {
      throw p.corrupt("unsupported version " + version);
    }
    String qid = p.getString();
    p.expectEnd();
    return qid;
  }

  static Envelope decodeEnvelope(Record r) throws CorruptRecordException {
    PayloadReader p = new PayloadReader(r.payload(), "ENVELOPE");
    Envelope e = EnvelopeCodec.read(p);
    p.expectEnd();
    return e;
  }

  /** Returns {size, crc} of the data region. */
  static Trailer decodeTrailer(Record r) throws CorruptRecordException {
    PayloadReader p = new PayloadReader(r.payload(), "TRAILER");
    long size = p.getLong();
    int crc = p.getInt();
    p.expectEnd();
    if (size < 0) {
      throw p.corrupt("negative data size " + size);
    }
    return new Trailer(size, crc);
  }

  record Trailer(long size, int crc) {}
}

package dev.relaypoint.store.internal;

import dev.relaypoint.store.Envelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.CRC32C;

/** Parses the framing of a message file: header records up to DATA_START, and the final TRAILER. */
final class EntryFile {

  private EntryFile() {}

  /** {@code transaction}: the RFC 1845 transaction the message was received in, if it says so. */
  record Header(String queueId, Envelope envelope, Optional<TransactionTag> transaction, long dataStart) {}

  static Header readHeader(FileChannel ch) throws IOException, CorruptRecordException {
    ChannelRecords.At fh = ChannelRecords.readAt(ch, 0);
    expect(fh, RecordType.FILE_HEADER);
    String qid = EntryRecords.decodeFileHeader(fh.record());
    ChannelRecords.At env = ChannelRecords.readAt(ch, fh.next());
    expect(env, RecordType.ENVELOPE);
    Envelope envelope = EntryRecords.decodeEnvelope(env.record());
    ChannelRecords.At ds = ChannelRecords.readAt(ch, env.next());
    Optional<TransactionTag> transaction = Optional.empty();
    if (ds.record().type() == RecordType.TRANSACTION) {
      transaction = Optional.of(EntryRecords.decodeTransaction(ds.record()));
      ds = ChannelRecords.readAt(ch, ds.next());
    }
    expect(ds, RecordType.DATA_START);
    if (ds.record().payload().hasRemaining()) {
      throw new CorruptRecordException("DATA_START record has a payload");
    }
    return new Header(qid, envelope, transaction, ds.next());
  }

  /** Reads the trailer from the end of a committed file and checks that it matches the file size. */
  static EntryRecords.Trailer readTrailer(FileChannel ch, long dataStart)
      throws IOException, CorruptRecordException {
    long fileSize = ch.size();
    long trailerAt = fileSize - EntryRecords.TRAILER_LENGTH;
    if (trailerAt < dataStart) {
      throw new CorruptRecordException("file too short for a trailer: " + fileSize + " bytes");
    }
    ByteBuffer buf = ByteBuffer.allocate(EntryRecords.TRAILER_LENGTH);
    ChannelRecords.readFully(ch, buf, trailerAt);
    buf.flip();
    Record r = RecordReader.read(buf, RecordType.TRAILER);
    EntryRecords.Trailer t = EntryRecords.decodeTrailer(r);
    if (t.size() != trailerAt - dataStart) {
      throw new CorruptRecordException(
          "trailer says " + t.size() + " data bytes, file holds " + (trailerAt - dataStart));
    }
    return t;
  }

  /** Adds {@code length} bytes from {@code start} to {@code crc}, read in bounded chunks. */
  static void updateCrc(CRC32C crc, FileChannel ch, long start, long length) throws IOException {
    // Direct, so the read needs no extra copy: a resume re-reads everything before its offset.
    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
    long pos = start;
    long end = start + length;
    while (pos < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("file ended at " + pos + ", expected data up to " + end);
      }
      buf.flip();
      crc.update(buf);
      pos += n;
    }
  }

  private static void expect(ChannelRecords.At at, RecordType type) throws CorruptRecordException {
    if (at.record().type() != type) {
      throw new CorruptRecordException("expected " + type + ", found " + at.record().type());
    }
  }
}

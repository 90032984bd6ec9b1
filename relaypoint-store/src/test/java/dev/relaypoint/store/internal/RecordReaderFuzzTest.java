package dev.relaypoint.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzz target for the checkpoint record parser (SECURITY-TESTS.md A9): arbitrary bytes, read as a
 * sequence of records and decoded as journal records, either parse or fail with
 * {@link CorruptRecordException}; nothing unchecked escapes, nothing large is allocated, and the
 * position only moves forward. A record that parses re-encodes to the very bytes it came from.
 * Half the runs wrap the fuzz bytes in a valid frame so the payload decoders are reached too.
 */
class RecordReaderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void readsRecordsOrReportsCorruption(FuzzedDataProvider data) {
    boolean framed = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();
    ByteBuffer in = framed ? frame(bytes) : ByteBuffer.wrap(bytes);
    while (in.hasRemaining()) {
      int before = in.position();
      Record record;
      try {
        record = RecordReader.read(in);
      } catch (CorruptRecordException expected) {
        assertThat(in.position()).as("a failed read does not move").isEqualTo(before);
        return;
      }
      assertThat(in.position()).isGreaterThan(before);
      assertThat(record.payload().remaining()).isLessThanOrEqualTo(Records.MAX_PAYLOAD);
      ByteBuffer original = in.duplicate().position(before).limit(in.position());
      assertThat(Records.encode(record.type(), record.payload().duplicate())).isEqualTo(original);
      try {
        decode(record);
      } catch (CorruptRecordException expected) {
        // quarantined at start-up, never resumed
      }
    }
  }

  /** Every payload decoder, journal or message-file header; a bad payload is CorruptRecordException. */
  private static void decode(Record record) throws CorruptRecordException {
    switch (record.type()) {
      case FILE_HEADER -> EntryRecords.decodeFileHeader(record);
      case ENVELOPE -> EntryRecords.decodeEnvelope(record);
      case TRANSACTION -> EntryRecords.decodeTransaction(record);
      case TRAILER -> EntryRecords.decodeTrailer(record);
      default -> JournalRecord.decode(record);
    }
  }

  /** The first byte picks a journal record type; the rest is its payload. */
  private static ByteBuffer frame(byte[] bytes) {
    if (bytes.length == 0) {
      return ByteBuffer.allocate(0);
    }
    RecordType[] journal = {RecordType.OPEN, RecordType.PROGRESS, RecordType.COMPLETED};
    RecordType type = journal[Math.floorMod(bytes[0], journal.length)];
    return Records.encode(type, ByteBuffer.wrap(bytes, 1, Math.min(bytes.length - 1, Records.MAX_PAYLOAD)));
  }
}

package dev.relaypoint.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordReaderTest {

  private static Envelope envelope(Optional<String> transid) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("SIZE", "99");
    params.put("BODY", "");
    return new Envelope("", params, List.of("ü@exämple.test", "b@x"), "helo", "2001:db8::1",
        "ESMTPS", Instant.ofEpochSecond(-5, 7), transid);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void journalRecordsRoundTrip() throws Exception {
    List<JournalRecord> records = List.of(
        new JournalRecord.Open("0123456789abcdef", envelope(Optional.of("<t@d>")), 42),
        new JournalRecord.Open("0123456789abcdef", envelope(Optional.empty()), 43),
        new JournalRecord.Open("q", envelope(Optional.empty()), 44, new CheckpointOwner("auth:ü", true)),
        new JournalRecord.Progress(3L << 30, 44),
        new JournalRecord.Completed("0123456789abcdef", (5L << 30) + 7, 0xCAFEBABE, 45));
    for (JournalRecord r : records) {
      ByteBuffer in = r.encode();
      Record decoded = RecordReader.read(in);
      assertThat(in.hasRemaining()).isFalse();
      assertThat(JournalRecord.decode(decoded)).isEqualTo(r);
    }
  }

  /** A journal written before owners were recorded still opens, charged to its exact client address. */
  @Test
  void openWithoutOwnerIsReadWithTheDerivedOwner() throws Exception {
    Envelope env = envelope(Optional.of("<t@d>"));
    PayloadWriter w = new PayloadWriter().putString("q").putLong(7);
    EnvelopeCodec.write(w, env);
    ByteBuffer legacy = Records.encode(RecordType.OPEN, w.toByteArray());
    JournalRecord.Open open = (JournalRecord.Open) JournalRecord.decode(RecordReader.read(legacy));
    assertThat(open.owner()).isEqualTo(new CheckpointOwner("2001:db8::1", false));
    assertThat(open.envelope()).isEqualTo(env);
  }

  @Test
  void anOwnerWithABadFlagIsCorruption() {
    Envelope env = envelope(Optional.empty());
    PayloadWriter w = new PayloadWriter().putString("q").putLong(7);
    EnvelopeCodec.write(w, env);
    w.putString("owner").putByte(2);
    assertThatThrownBy(() -> JournalRecord.decode(RecordReader.read(Records.encode(RecordType.OPEN,
        w.toByteArray())))).isInstanceOf(CorruptRecordException.class).hasMessageContaining("authenticated");
  }

  @Test
  void offsetsBeyondTwoGibibytesSurvive() throws Exception {
    long offset = 3L << 30;
    JournalRecord back = JournalRecord.decode(
        RecordReader.read(new JournalRecord.Progress(offset, 1).encode()));
    assertThat(((JournalRecord.Progress) back).offset()).isEqualTo(offset).isGreaterThan(Integer.MAX_VALUE);
  }

  @Test
  void fileHeaderEnvelopeAndTrailerRoundTrip() throws Exception {
    Envelope env = envelope(Optional.of("<x@y>"));
    ByteBuffer header = EntryRecords.header("0123456789abcdef", env);
    assertThat(EntryRecords.decodeFileHeader(RecordReader.read(header, RecordType.FILE_HEADER)))
        .isEqualTo("0123456789abcdef");
    assertThat(EntryRecords.decodeEnvelope(RecordReader.read(header, RecordType.ENVELOPE)))
        .isEqualTo(env);
    assertThat(RecordReader.read(header, RecordType.DATA_START).payload().remaining()).isZero();
    assertThat(header.hasRemaining()).isFalse();
    ByteBuffer trailer = EntryRecords.trailer(1L << 40, -1);
    assertThat(trailer.remaining()).isEqualTo(EntryRecords.TRAILER_LENGTH);
    assertThat(EntryRecords.decodeTrailer(RecordReader.read(trailer)))
        .isEqualTo(new EntryRecords.Trailer(1L << 40, -1));
  }

  @Test
  void everySingleByteCorruptionIsDetected() {
    byte[] good = bytes(new JournalRecord.Open("0123456789abcdef",
        envelope(Optional.of("<t@d>")), 42).encode());
    int checked = 0;
    for (int pos = 0; pos < good.length; pos++) {
      for (int v = 0; v < 256; v++) {
        if ((byte) v == good[pos]) {
          continue;
        }
        byte[] bad = good.clone();
        bad[pos] = (byte) v;
        ByteBuffer in = ByteBuffer.wrap(bad);
        assertThatThrownBy(() -> RecordReader.read(in))
            .as("byte %d set to %d", pos, v)
            .isInstanceOf(CorruptRecordException.class);
        assertThat(in.position()).isZero();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(good.length * 255);
  }

  @Test
  void everyTruncationIsReportedAsTruncated() {
    byte[] good = bytes(new JournalRecord.Progress(12345, 6).encode());
    for (int len = 0; len < good.length; len++) {
      ByteBuffer in = ByteBuffer.wrap(good, 0, len);
      assertThatThrownBy(() -> RecordReader.read(in))
          .as("truncated to %d", len)
          .isInstanceOf(CorruptRecordException.class);
    }
    assertThatThrownBy(() -> RecordReader.read(ByteBuffer.wrap(good, 0, good.length - 1)))
        .isInstanceOf(TruncatedRecordException.class);
  }

  @Test
  void hugeLengthIsRejectedWithoutAllocatingIt() {
    ByteBuffer in = ByteBuffer.allocate(20).put(RecordType.PROGRESS.code()).putInt(Integer.MAX_VALUE)
        .flip();
    assertThatThrownBy(() -> RecordReader.read(in))
        .isInstanceOf(CorruptRecordException.class)
        .isNotInstanceOf(TruncatedRecordException.class)
        .hasMessageContaining("impossible record length");
    ByteBuffer negative = ByteBuffer.allocate(20).put(RecordType.OPEN.code()).putInt(-1).flip();
    assertThatThrownBy(() -> RecordReader.read(negative)).hasMessageContaining("impossible");
  }

  @Test
  void unknownTypeAndBadPayloadsAreCorruption() {
    ByteBuffer unknown = Records.encode(RecordType.PROGRESS, new byte[16]);
    unknown.put(0, (byte) 0x7f);
    assertThatThrownBy(() -> RecordReader.read(unknown)).hasMessageContaining("unknown record type");
    // A record that is valid as a record but whose payload lies about a string length.
    ByteBuffer lying = Records.encode(RecordType.COMPLETED,
        new PayloadWriter().putInt(1 << 30).toByteArray());
    assertThatThrownBy(() -> JournalRecord.decode(RecordReader.read(lying)))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("string length");
    ByteBuffer badUtf8 = Records.encode(RecordType.COMPLETED,
        new PayloadWriter().putInt(1).putByte(0xff).putLong(1).putInt(1).putLong(1).toByteArray());
    assertThatThrownBy(() -> JournalRecord.decode(RecordReader.read(badUtf8)))
        .hasMessageContaining("UTF-8");
  }

  @Test
  void randomGarbageNeverEscapesAsUncheckedException() {
    long seed = 20250102L;
    Random rnd = new Random(seed);
    ByteBuffer valid = new JournalRecord.Open("q", envelope(Optional.empty()), 1).encode();
    for (int i = 0; i < 20_000; i++) {
      byte[] b = bytes(valid);
      int flips = 1 + rnd.nextInt(4);
      for (int f = 0; f < flips; f++) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      byte[] input = rnd.nextBoolean() ? b : java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
      try {
        JournalRecord.decode(RecordReader.read(ByteBuffer.wrap(input)));
      } catch (CorruptRecordException expected) {
        // the only acceptable failure
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " iteration " + i, e);
      }
    }
  }
}

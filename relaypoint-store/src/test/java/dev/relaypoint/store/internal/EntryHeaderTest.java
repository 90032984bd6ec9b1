package dev.relaypoint.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.Envelope;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional TRANSACTION record in a message file's header, and what a damaged one gives. */
class EntryHeaderTest {

  private static final String KEY = "ab".repeat(32);
  private static final Envelope ENVELOPE = new Envelope("s@x.test", Map.of(), List.of("r@y.test"), "helo",
      "192.0.2.1", "ESMTP", Instant.ofEpochSecond(1_700_000_000L), Optional.of("<t@x.test>"));

  @TempDir Path dir;

  private EntryFile.Header read(ByteBuffer... parts) throws Exception {
    Path file = dir.resolve("entry");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ByteBuffer b : parts) {
        ch.write(b);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return EntryFile.readHeader(ch);
    }
  }

  @Test
  void aTaggedHeaderNamesItsKeyAndOwner() throws Exception {
    CheckpointOwner owner = new CheckpointOwner("auth:ann", true);
    ByteBuffer header = EntryRecords.header("q1", ENVELOPE, Optional.of(new TransactionTag(KEY, owner)));
    int length = header.remaining();
    EntryFile.Header h = read(header);
    assertThat(h.queueId()).isEqualTo("q1");
    assertThat(h.envelope()).isEqualTo(ENVELOPE);
    assertThat(h.transaction()).contains(new TransactionTag(KEY, owner));
    assertThat(h.dataStart()).isEqualTo(length);
  }

  @Test
  void anUntaggedHeaderReadsAsBefore() throws Exception {
    EntryFile.Header h = read(EntryRecords.header("q2", ENVELOPE));
    assertThat(h.transaction()).isEmpty();
  }

  @Test
  void aKeyThatIsNotAHashIsCorruptNeverAPath() throws Exception {
    for (String bad : List.of("../../etc", "AB".repeat(32), "ab".repeat(31), "")) {
      ByteBuffer tr = Records.encode(RecordType.TRANSACTION, new PayloadWriter().putString(bad)
          .putString("o").putByte(0).toByteArray());
      assertThatThrownBy(() -> read(prefix(), tr, dataStart()))
          .as("key %s", bad).isInstanceOf(CorruptRecordException.class).hasMessageContaining("key");
    }
    assertThatThrownBy(() -> new TransactionTag("../x", new CheckpointOwner("o", false)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBadAuthenticatedFlagOrTrailingBytesAreCorrupt() throws Exception {
    ByteBuffer flag = Records.encode(RecordType.TRANSACTION, new PayloadWriter().putString(KEY)
        .putString("o").putByte(2).toByteArray());
    assertThatThrownBy(() -> read(prefix(), flag, dataStart())).isInstanceOf(CorruptRecordException.class);
    ByteBuffer extra = Records.encode(RecordType.TRANSACTION, new PayloadWriter().putString(KEY)
        .putString("o").putByte(1).putByte(0).toByteArray());
    assertThatThrownBy(() -> read(prefix(), extra, dataStart())).isInstanceOf(CorruptRecordException.class);
  }

  /** FILE_HEADER and ENVELOPE of an untagged header, without its DATA_START. */
  private static ByteBuffer prefix() {
    ByteBuffer all = EntryRecords.header("q3", ENVELOPE);
    return all.limit(all.limit() - dataStart().remaining());
  }

  private static ByteBuffer dataStart() {
    return Records.encode(RecordType.DATA_START, new byte[0]);
  }
}

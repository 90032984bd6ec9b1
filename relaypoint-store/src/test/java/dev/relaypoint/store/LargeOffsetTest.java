package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.internal.JournalRecord;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offsets beyond 2^31 (C14) on a sparse file, without writing gigabytes of real data. */
class LargeOffsetTest {

  private static final CheckpointKey KEY = new CheckpointKey("big.example", "<big@c>");
  private static final long OFFSET = 3L << 30;

  @TempDir Path dir;

  @Test
  void resumeAndCommitBeyondTwoGibibytes() throws Exception {
    FileStoreConfig config = FileStoreConfig.builder(dir).build();
    try (FileStore store = FileStore.open(config);
        CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      MessageWriter w = lease.begin(Fixtures.envelope("<big@c>"));
      w.write(ByteBuffer.wrap(Fixtures.ascii("a\r\n")), 3);
      await(w.suspend());
    }
    // Pretend 3 GiB arrived: a sparse hole up to the offset, and its PROGRESS in the journal.
    Path ck = dir.resolve("checkpoints").resolve(KEY.fileName());
    try (RandomAccessFile f = new RandomAccessFile(ck.resolve("message").toFile(), "rw")) {
      f.setLength(f.length() - 3 + OFFSET);
    }
    try (FileChannel j = FileChannel.open(ck.resolve("journal"), StandardOpenOption.APPEND)) {
      j.write(new JournalRecord.Progress(OFFSET, System.currentTimeMillis()).encode());
    }

    try (FileStore store = FileStore.open(config);
        CheckpointLease lease = store.tryAcquire(KEY).orElseThrow()) {
      assertThat(lease.state()).contains(
          new CheckpointState.Interrupted(Fixtures.envelope("<big@c>"), OFFSET));
      MessageWriter w = lease.resume();
      assertThat(w.size()).isEqualTo(OFFSET);
      w.write(ByteBuffer.wrap(Fixtures.ascii("end\r\n")), OFFSET + 5);
      await(w.commit());
      assertThat(lease.state().orElseThrow()).isInstanceOf(CheckpointState.Completed.class);
      try (QueuedMessage m = store.open(w.queueId())) {
        assertThat(m.size()).isEqualTo(OFFSET + 5);
        ByteBuffer tail = ByteBuffer.allocate(5);
        m.channel().read(tail, m.dataStart() + OFFSET);
        assertThat(new String(tail.array(), java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo("end\r\n");
      }
      assertThat(lease.state().orElseThrow())
          .isEqualTo(new CheckpointState.Completed(Fixtures.envelope("<big@c>"), w.queueId(), OFFSET + 5));
    }
  }
}

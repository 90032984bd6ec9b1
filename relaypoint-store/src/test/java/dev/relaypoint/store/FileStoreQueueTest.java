package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreQueueTest {

  @TempDir Path dir;
  private FileStore store;

  @BeforeEach
  void open() throws Exception {
    store = FileStore.open(FileStoreConfig.builder(dir).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void plainMessageIsQueuedByteForByteAndAnnouncedOnce() throws Exception {
    List<String> committed = new CopyOnWriteArrayList<>();
    store.onCommitted(committed::add);
    byte[] data = Fixtures.message(700_000, 1);
    MessageWriter w = store.begin(Fixtures.envelope(null));
    Fixtures.write(w, data, 0, data.length, 8191);
    assertThat(w.size()).isEqualTo(data.length);
    assertThat(store.list()).isEmpty();
    await(w.commit());

    assertThat(store.list()).containsExactly(w.queueId());
    Fixtures.eventually(() -> assertThat(committed).containsExactly(w.queueId()));
    try (QueuedMessage m = store.open(w.queueId())) {
      assertThat(m.size()).isEqualTo(data.length);
      assertThat(m.envelope()).isEqualTo(Fixtures.envelope(null));
      assertThat(Fixtures.sha256(m)).isEqualTo(Fixtures.sha256(data));
      assertThat(m.channel().size()).isGreaterThan(m.dataStart() + m.size());
    }
    assertThat(children(dir.resolve("queue/tmp"))).isEmpty();
  }

  @Test
  void filesAndDirectoriesArePrivate() throws Exception {
    MessageWriter w = store.begin(Fixtures.envelope(null));
    w.write(ByteBuffer.wrap(Fixtures.ascii("x\r\n")), 3);
    await(w.commit());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("queue/incoming"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("queue/incoming").resolve(w.queueId()))))
        .isEqualTo("rw-------");
  }

  @Test
  void discardAndSuspendLeaveNothing() throws Exception {
    List<String> committed = new CopyOnWriteArrayList<>();
    store.onCommitted(committed::add);
    MessageWriter a = store.begin(Fixtures.envelope(null));
    MessageWriter b = store.begin(Fixtures.envelope(null));
    a.write(ByteBuffer.wrap(Fixtures.ascii("hello\r\n")), 7);
    b.write(ByteBuffer.wrap(Fixtures.ascii("hello\r\n")), 7);
    assertThat(children(dir.resolve("queue/incoming"))).hasSize(2)
        .allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith(".").endsWith(".part"));
    a.discard();
    await(b.suspend());
    assertThat(children(dir.resolve("queue/incoming"))).isEmpty();
    assertThat(store.list()).isEmpty();
    assertThat(committed).isEmpty();
    assertThatThrownBy(() -> a.write(ByteBuffer.allocate(1), 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void queueIdsAreUniqueSortableAndListedOldestFirst() throws Exception {
    List<String> ids = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20; i++) {
      MessageWriter w = store.begin(Fixtures.envelope(null));
      w.write(ByteBuffer.wrap(Fixtures.ascii("m" + i + "\r\n")), 3 + String.valueOf(i).length());
      await(w.commit());
      ids.add(w.queueId());
    }
    assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-z]{16}"));
    assertThat(store.list()).containsExactlyElementsOf(ids);
    store.remove(ids.get(3));
    assertThat(store.list()).hasSize(19).doesNotContain(ids.get(3));
  }

  @Test
  void rejectsNamesThatAreNotQueueIds() {
    assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.remove("../x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reopeningKeepsCommittedEntriesAndClearsTmp() throws Exception {
    MessageWriter done = store.begin(Fixtures.envelope(null));
    done.write(ByteBuffer.wrap(Fixtures.ascii("kept\r\n")), 6);
    await(done.commit());
    MessageWriter partial = store.begin(Fixtures.envelope(null));
    partial.write(ByteBuffer.wrap(Fixtures.ascii("lost\r\n")), 6);
    store.close();
    Files.writeString(dir.resolve("queue/tmp/0000000000000000"), "left by the layout before part files");

    store = FileStore.open(FileStoreConfig.builder(dir).build());
    assertThat(store.list()).containsExactly(done.queueId());
    assertThat(children(dir.resolve("queue/incoming"))).containsExactly(dir.resolve("queue/incoming")
        .resolve(done.queueId()));
    assertThat(children(dir.resolve("queue/tmp"))).isEmpty();
    assertThat(children(dir.resolve("corrupt"))).isEmpty();
  }

  static List<Path> children(Path p) throws Exception {
    try (Stream<Path> s = Files.list(p)) {
      return s.toList();
    }
  }
}

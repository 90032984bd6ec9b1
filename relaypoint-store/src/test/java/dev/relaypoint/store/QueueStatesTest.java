package dev.relaypoint.store;

import static dev.relaypoint.store.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue directories with fixed meanings and per-recipient status files. */
class QueueStatesTest {

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

  private String commit() throws Exception {
    MessageWriter w = store.begin(Fixtures.envelope(null));
    w.write(ByteBuffer.wrap(Fixtures.ascii("Subject: x\r\n\r\nhi\r\n")), 18);
    await(w.commit());
    return w.queueId();
  }

  @Test
  void entryMovesBetweenStateDirectoriesAndOpensFromAnyOfThem() throws Exception {
    String qid = commit();
    assertThat(store.locate(qid)).contains(QueueState.INCOMING);
    for (QueueState to : List.of(QueueState.ACTIVE, QueueState.DEFERRED, QueueState.HOLD)) {
      store.move(qid, store.locate(qid).orElseThrow(), to);
      assertThat(store.locate(qid)).contains(to);
      assertThat(store.list(to)).containsExactly(qid);
      assertThat(Files.exists(dir.resolve("queue").resolve(to.directoryName()).resolve(qid))).isTrue();
      try (QueuedMessage m = store.open(qid)) {
        assertThat(m.size()).isEqualTo(18);
      }
    }
    assertThat(store.list()).isEmpty();
    assertThatThrownBy(() -> store.move(qid, QueueState.ACTIVE, QueueState.DEFERRED))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void statusRoundTripsAndIsRemovedWithTheEntry() throws Exception {
    String qid = commit();
    assertThat(store.status(qid)).isEmpty();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    DeliveryStatus s = DeliveryStatus.initial(Fixtures.envelope(null));
    List<RecipientState> rs = s.recipients().stream()
        .map(r -> r.withTransactionId(Optional.of("abc@relay.test"))
            .with(RecipientState.Status.DEFERRED, "451 4.3.0 later", t))
        .toList();
    DeliveryStatus written = s.withRecipients(rs).attempted(t, Optional.of(t.plusSeconds(300)));
    store.writeStatus(qid, written);
    assertThat(store.status(qid)).contains(written);
    assertThat(new QueueReader(dir).status(qid)).contains(written);

    store.remove(qid);
    assertThat(store.locate(qid)).isEmpty();
    assertThat(Files.exists(dir.resolve("queue/status").resolve(qid))).isFalse();
  }

  @Test
  void recoveryKeepsEntriesInEveryStateAndDropsOrphanStatusFiles() throws Exception {
    String a = commit();
    String b = commit();
    store.move(a, QueueState.INCOMING, QueueState.DEFERRED);
    store.writeStatus(a, DeliveryStatus.initial(Fixtures.envelope(null)));
    store.writeStatus(b, DeliveryStatus.initial(Fixtures.envelope(null)));
    Files.delete(dir.resolve("queue/incoming").resolve(b)); // a crash between entry and status removal
    Files.write(dir.resolve("queue/hold/not-an-id"), new byte[] {1, 2, 3});
    store.close();

    store = FileStore.open(FileStoreConfig.builder(dir).build());
    assertThat(store.list(QueueState.DEFERRED)).containsExactly(a);
    assertThat(store.status(a)).isPresent();
    assertThat(store.status(b)).isEmpty();
    assertThat(Files.exists(dir.resolve("queue/hold/not-an-id"))).isFalse();
    try (var s = Files.list(dir.resolve("corrupt"))) {
      assertThat(s.toList()).hasSize(1);
    }
  }

  @Test
  void corruptStatusIsAnErrorNotAnEmptyStatus() throws Exception {
    String qid = commit();
    Files.write(dir.resolve("queue/status").resolve(qid), new byte[] {0x20, 0, 0, 0, 1});
    assertThatThrownBy(() -> store.status(qid)).hasMessageContaining("corrupt");
  }
}

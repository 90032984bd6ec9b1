package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.mta.internal.MaildirWriter;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueuedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirWriterTest {

  @TempDir
  Path dir;

  private static Envelope envelope(String... recipients) {
    return new Envelope("sender@client.test", Map.of(), List.of(recipients), "client.test", "192.0.2.7", "ESMTP",
        Instant.parse("2026-11-29T10:15:30Z"), Optional.empty());
  }

  private static String commit(FileStore store, Envelope envelope, byte[] data) throws Exception {
    MessageWriter w = store.begin(envelope);
    w.write(ByteBuffer.wrap(data), data.length);
    w.commit().toCompletableFuture().get();
    return w.queueId();
  }

  @Test
  void deliveringAgainAfterACrashDoesNotMakeASecondCopy() throws Exception {
    try (FileStore store = FileStore.open(FileStoreConfig.builder(dir.resolve("data")).build())) {
      String qid = commit(store, envelope("ann@local.test"), "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
      MaildirWriter writer = new MaildirWriter(dir.resolve("maildir"), "mx.test");
      try (QueuedMessage m = store.open(qid)) {
        assertThat(writer.deliver(m, 0)).isTrue();
        assertThat(writer.deliver(m, 0)).as("second run after a crash before the queue entry was removed").isFalse();
      }
      try (Stream<Path> s = Files.list(dir.resolve("maildir/local.test/ann/new"))) {
        assertThat(s.count()).isEqualTo(1);
      }
    }
  }

  @Test
  void refusesMailboxNamesThatEscapeTheMaildirRoot() {
    MaildirWriter writer = new MaildirWriter(dir, "mx.test");
    for (String bad : new String[] {"../x@local.test", "a/b@local.test", ".hidden@local.test", "a@../etc"}) {
      assertThatThrownBy(() -> writer.mailbox(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(writer.mailbox("ann@local.test")).isEqualTo(dir.resolve("local.test/ann"));
  }
}

package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.mta.internal.MaildirWriter;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueuedMessage;
import dev.relaypoint.testkit.TestMessages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDeliveryTest {

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
  void deliversEachRecipientByteIdenticalAfterTheTraceHeadersAndEmptiesTheQueue() throws Exception {
    byte[] data = TestMessages.generate(200_000, 3);
    try (FileStore store = FileStore.open(FileStoreConfig.builder(dir.resolve("data")).build());
        LocalDelivery delivery = new LocalDelivery(store, dir.resolve("maildir"), "mx.test", 60)) {
      String qid = commit(store, envelope("ann@local.test", "bob@local.test"), data);
      delivery.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!store.list().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(store.list()).isEmpty();
      for (String user : new String[] {"ann", "bob"}) {
        Path box = dir.resolve("maildir/local.test").resolve(user);
        List<Path> files;
        try (Stream<Path> s = Files.list(box.resolve("new"))) {
          files = s.toList();
        }
        assertThat(files).hasSize(1);
        byte[] delivered = Files.readAllBytes(files.get(0));
        String text = new String(delivered, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("Return-Path: <sender@client.test>\r\nReceived: from client.test ([192.0.2.7])\r\n"
            + "\tby mx.test (Relaypoint) with ESMTP id " + qid + "\r\n\tfor <" + user + "@local.test>; "
            + "Sun, 29 Nov 2026 10:15:30 +0000\r\n");
        int headerEnd = text.indexOf("+0000\r\n") + 7;
        assertThat(TestMessages.sha256(Arrays.copyOfRange(delivered, headerEnd, delivered.length)))
            .isEqualTo(TestMessages.sha256(data));
        assertThat(Files.getPosixFilePermissions(files.get(0))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(box.resolve("tmp")).isEmptyDirectory();
      }
    }
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

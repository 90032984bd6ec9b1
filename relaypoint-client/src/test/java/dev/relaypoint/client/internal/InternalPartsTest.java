package dev.relaypoint.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.client.MessageSource;
import dev.relaypoint.smtp.Reply;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalPartsTest {

  @TempDir
  Path tmp;

  @Test
  void originalAddressGoesFirstOnlyWhenStillListed() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25);
    InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 25);
    InetSocketAddress c = new InetSocketAddress(InetAddress.getByName("192.0.2.3"), 25);
    assertThat(Sender.order(List.of(a, b, c), Optional.of(c))).containsExactly(c, a, b);
    assertThat(Sender.order(List.of(a, b), Optional.of(c))).containsExactly(a, b);
    assertThat(Sender.order(List.of(a, b), Optional.empty())).containsExactly(a, b);
  }

  @Test
  void findsQueueIdsInCommonReplyTexts() {
    assertThat(QueueIds.find(Reply.of(250, "2.0.0", "Ok: queued as 4F3K2ZK"))).contains("4F3K2ZK");
    assertThat(QueueIds.find(Reply.of(250, "", "OK id=1abc-0002-XY"))).contains("1abc-0002-XY");
    assertThat(QueueIds.find(Reply.of(250, "2.0.0", "x1ABCDEF Message accepted for delivery"))).contains("x1ABCDEF");
    assertThat(QueueIds.find(Reply.of(250, "", "OK"))).isEmpty();
  }

  @Test
  void readsCapabilities() {
    Capabilities caps = Capabilities.parse(new Reply(250, "", List.of("mx", "PIPELINING", "SIZE 1000", "checkpoint",
        "8BITMIME")));
    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.checkpoint()).isTrue();
    assertThat(caps.eightBitMime()).isTrue();
    assertThat(caps.sizeLimit()).hasValue(1000);
    assertThat(Capabilities.parse(new Reply(250, "", List.of("mx", "SIZE"))).sizeLimit()).isEmpty();
  }

  @Test
  void transIdsAreRandomBoundedAndValid() {
    String a = TransIds.generate("client.test").value();
    assertThat(a).matches("<[0-9a-f]{32}@client\\.test>").isNotEqualTo(TransIds.generate("client.test").value());
    String longDomain = "d".repeat(55) + ".test";
    assertThat(TransIds.generate(longDomain).value()).hasSizeLessThanOrEqualTo(80);
    assertThatThrownBy(() -> TransIds.generate("d".repeat(70))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stateSurvivesARoundTripAndABrokenFileIsIgnored() throws Exception {
    StateStore store = new StateStore(tmp);
    InetSocketAddress addr = new InetSocketAddress(InetAddress.getByAddress("mx.test", new byte[] {(byte) 192, 0, 2, 9}), 2525);
    SendState s = new SendState("<abc@client.test>", "client.test", "mx.test:25", "a@b.test", List.of("c@d.test"),
        "00ff", 1234, Optional.of(addr), Map.of("c@d.test", Reply.of(250, "2.1.5", "Ok")));
    String key = StateStore.key("mx.test:25", "a@b.test", List.of("c@d.test"), "00ff");
    store.save(key, s);
    assertThat(store.load(key)).hasValueSatisfying(loaded -> {
      assertThat(loaded.transactionId()).isEqualTo("<abc@client.test>");
      assertThat(loaded.lastAddress().get().getHostString()).isEqualTo("mx.test");
      assertThat(loaded.lastAddress().get().getPort()).isEqualTo(2525);
      assertThat(loaded.rcptReplies().get("c@d.test").code()).isEqualTo(250);
      assertThat(loaded.size()).isEqualTo(1234);
    });
    java.nio.file.Files.writeString(store.file(key), "transid=<x@y>\n");
    assertThat(store.load(key)).isEmpty();
    store.delete(key);
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void reopensANonCanonicalSourceAtACanonicalLineStart() throws Exception {
    byte[] raw = "a\nbb\r\n.c\rlast".getBytes(StandardCharsets.US_ASCII); // canonical: a CRLF bb CRLF .c CRLF last CRLF
    CanonicalMessage m = CanonicalMessage.scan(MessageSource.of(raw));
    assertThat(m.size()).isEqualTo(17);
    try (InputStream in = m.openAt(7)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(".c\r\nlast\r\n");
    }
    try (InputStream in = m.openAt(17)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
    assertThatThrownBy(() -> m.openAt(8)).isInstanceOf(ProtocolViolationException.class).hasMessageContaining("line start");
    assertThatThrownBy(() -> m.openAt(18)).isInstanceOf(ProtocolViolationException.class);
    assertThatThrownBy(() -> m.openAt(-1)).isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void reopensACanonicalFileBySeeking() throws Exception {
    Path file = tmp.resolve("m.eml");
    java.nio.file.Files.writeString(file, "one\r\ntwo\r\nthree\r\n");
    CanonicalMessage m = CanonicalMessage.scan(MessageSource.of(file));
    try (InputStream in = m.openAt(10)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("three\r\n");
    }
  }
}

package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.smtp.Reply;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyReaderTest {

  private static Reply read(String wire) throws IOException {
    return new ReplyReader().read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void readsSingleLineWithEnhancedCode() throws IOException {
    Reply r = read("250 2.0.0 Ok: queued as ABC123\r\n");
    assertThat(r.code()).isEqualTo(250);
    assertThat(r.enhancedCode()).isEqualTo("2.0.0");
    assertThat(r.lines()).containsExactly("Ok: queued as ABC123");
  }

  @Test
  void readsMultiLineEhlo() throws IOException {
    Reply r = read("250-mx.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 CHECKPOINT\r\n");
    assertThat(r.lines()).containsExactly("mx.example", "PIPELINING", "SIZE 1000", "CHECKPOINT");
    assertThat(r.enhancedCode()).isEmpty();
  }

  @Test
  void readsRestartReplyAndBareCode() throws IOException {
    assertThat(read("355 6135 is the transaction offset\r\n").lines()).containsExactly("6135 is the transaction offset");
    assertThat(read("250\r\n").lines()).containsExactly("");
  }

  @Test
  void readsConsecutiveRepliesFromOneStream() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream("250 a\r\n354 b\r\n".getBytes(StandardCharsets.US_ASCII));
    ReplyReader reader = new ReplyReader();
    assertThat(reader.read(in).code()).isEqualTo(250);
    assertThat(reader.read(in).code()).isEqualTo(354);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "250 ok\n", "250 o\rk\r\n", "25 ok\r\n", "2x0 ok\r\n", "250_ok\r\n", "199 ok\r\n", "600 ok\r\n",
      "250-a\r\n251 b\r\n"})
  void rejectsMalformedReplies(String wire) {
    assertThatThrownBy(() -> read(wire)).isInstanceOf(MalformedReplyException.class);
  }

  @Test
  void rejectsTruncatedReplyAsEof() {
    assertThatThrownBy(() -> read("250-a\r\n250 b")).isInstanceOf(EOFException.class);
  }

  @Test
  void boundsLineLengthAndLineCount() {
    assertThatThrownBy(() -> read("250 " + "x".repeat(5000) + "\r\n"))
        .isInstanceOf(MalformedReplyException.class).hasMessageContaining("longer");
    assertThatThrownBy(() -> read("250-x\r\n".repeat(200) + "250 x\r\n"))
        .isInstanceOf(MalformedReplyException.class).hasMessageContaining("lines");
  }
}

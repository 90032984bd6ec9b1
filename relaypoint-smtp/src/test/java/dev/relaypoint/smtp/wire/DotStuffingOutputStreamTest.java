package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DotStuffingOutputStreamTest {

  private static byte[] encode(byte[] canonical) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    DotStuffingOutputStream s = new DotStuffingOutputStream(wire);
    s.write(canonical);
    s.finish();
    return wire.toByteArray();
  }

  private static String encode(String canonical) throws IOException {
    return new String(encode(canonical.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
  }

  @Test
  void stuffsLeadingDotsAndTerminates() throws IOException {
    assertThat(encode(".a\r\nb.\r\n..\r\n.\r\n")).isEqualTo("..a\r\nb.\r\n...\r\n..\r\n.\r\n");
    assertThat(encode("")).isEqualTo(".\r\n");
  }

  @Test
  void refusesNonCanonicalInput() {
    assertThatThrownBy(() -> encode("a\nb\r\n")).hasMessageContaining("bare LF");
    assertThatThrownBy(() -> encode("a\rb\r\n")).hasMessageContaining("bare CR");
    assertThatThrownBy(() -> encode("a")).hasMessageContaining("CRLF");
  }

  /** SECURITY-TESTS.md §1.3 client invariants, for every smuggling vector fed into the message. */
  @ParameterizedTest
  @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r.\n", "\n.\r", "\r.\r\n", "\r\n.\r",
      "\r\n\u0000.\r\n", "\r\n.\u0000\r\n", "\r\n.\r\r\n", "\r\r\n.\r\r\n", "\r\n.\r\n", "\r\n..\r\n"})
  void smugglingVectorsNeverEndTheDataEarly(String vector) throws IOException {
    String message = "Subject: t\r\n\r\nbody\r\n" + vector
        + "MAIL FROM:<spoof@victim>\r\nRCPT TO:<b@local>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n";
    byte[] canonical = new CrlfNormalizingInputStream(
        new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1))).readAllBytes();
    String wire = new String(encode(canonical), StandardCharsets.ISO_8859_1);
    assertThat(wire.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    assertThat(("\r\n" + wire).indexOf("\r\n.\r\n")).isEqualTo(wire.length() - 3);
    assertThat(decode(wire)).isEqualTo(canonical);
  }

  @Test
  void roundTripsThroughTheStrictDecoderFromAnyLineStart() throws IOException {
    Random random = new Random(42);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append(random.nextInt(4) == 0 ? "." : "").append("x".repeat(random.nextInt(5)))
          .append(random.nextBoolean() ? "\r\n" : "\n");
    }
    byte[] canonical = new CrlfNormalizingInputStream(
        new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII))).readAllBytes();
    for (int offset = 0; offset < canonical.length; offset++) {
      if (offset > 0 && canonical[offset - 1] != '\n') {
        continue;
      }
      if (random.nextInt(20) != 0) {
        continue;
      }
      byte[] tail = java.util.Arrays.copyOfRange(canonical, offset, canonical.length);
      assertThat(decode(new String(encode(tail), StandardCharsets.ISO_8859_1))).isEqualTo(tail);
    }
  }

  /** The stuffer skips line interiors a word at a time; split writes must not change what it emits. */
  @Test
  void writesSplitAnywhereStuffLikeTheTextbookRule() throws IOException {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String alphabet = "..x \u0000\u00ff\u008d\u008a\u000c\u000e";
    for (int round = 0; round < 500; round++) {
      StringBuilder text = new StringBuilder();
      for (int line = random.nextInt(20); line > 0; line--) {
        for (int k = random.nextInt(random.nextInt(8) == 0 ? 100 : 20); k > 0; k--) {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        text.append("\r\n");
      }
      byte[] canonical = text.toString().getBytes(StandardCharsets.ISO_8859_1);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      DotStuffingOutputStream s = new DotStuffingOutputStream(wire);
      for (int pos = 0; pos < canonical.length; ) {
        int n = Math.min(canonical.length - pos, 1 + random.nextInt(40));
        s.write(canonical, pos, n);
        pos += n;
      }
      s.finish();
      String expected = ("\r\n" + text).replace("\r\n.", "\r\n..").substring(2) + ".\r\n";
      assertThat(wire.toString(StandardCharsets.ISO_8859_1)).as("seed %d", seed).isEqualTo(expected);
      assertThat(s.canonicalOctets()).isEqualTo(canonical.length);
    }
  }

  @Test
  void namesTheOffsetOfABareNewlineAnywhereInAWord() {
    for (int at = 0; at < 20; at++) {
      for (char bare : new char[] {'\n', '\r'}) {
        byte[] line = ("y".repeat(30) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        line[at] = (byte) bare;
        int offending = bare == '\n' ? at : at + 1; // a bare CR shows at the octet after it
        assertThatThrownBy(() -> encode(line)).hasMessageEndingWith("at canonical octet " + offending);
      }
    }
  }

  @Test
  void countsCanonicalOctetsWithoutStuffing() throws IOException {
    DotStuffingOutputStream s = new DotStuffingOutputStream(new ByteArrayOutputStream());
    s.write(".a\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(s.canonicalOctets()).isEqualTo(4);
  }

  private static byte[] decode(String wire) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataDecoder decoder = new DataDecoder(1_000_000);
    DataDecoder.Status status = decoder.decode(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1), buf -> {
      byte[] b = new byte[buf.readableBytes()];
      buf.getBytes(buf.readerIndex(), b);
      out.writeBytes(b);
    });
    assertThat(status).isEqualTo(DataDecoder.Status.END);
    return out.toByteArray();
  }
}

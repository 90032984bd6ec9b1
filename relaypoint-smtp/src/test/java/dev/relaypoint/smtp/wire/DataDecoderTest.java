package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.smtp.wire.DataDecoder.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataDecoderTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final DataDecoder.Sink sink = buf -> {
    byte[] b = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), b);
    out.writeBytes(b);
  };

  private Status feed(DataDecoder d, String wire) {
    return d.decode(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1), sink);
  }

  private String content() {
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void endsOnlyAtCrlfDotCrlfAndRemovesStuffing() {
    DataDecoder d = new DataDecoder(1000);
    assertThat(feed(d, "Subject: x\r\n\r\n..leading dot\r\n.x\r\nlast\r\n.\r\nQUIT\r\n")).isEqualTo(Status.END);
    assertThat(content()).isEqualTo("Subject: x\r\n\r\n.leading dot\r\nx\r\nlast\r\n");
    assertThat(d.size()).isEqualTo(content().length());
    assertThat(d.lineAlignedSize()).isEqualTo(d.size());
  }

  @Test
  void emptyMessage() {
    DataDecoder d = new DataDecoder(1000);
    assertThat(feed(d, ".\r\n")).isEqualTo(Status.END);
    assertThat(d.size()).isZero();
  }

  @Test
  void leavesBytesAfterTheTerminatorUnread() {
    DataDecoder d = new DataDecoder(1000);
    ByteBuf in = Unpooled.copiedBuffer("a\r\n.\r\nNOOP\r\n", StandardCharsets.US_ASCII);
    assertThat(d.decode(in, sink)).isEqualTo(Status.END);
    assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("NOOP\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "body\r\n\n.\n", "body\r\n\n.\r\n", "body\r\n.\n", "body\r\n\r.\r", "body\r\n\r.\n", "body\r\n\n.\r",
      "body\r\n\r.\r\n", "body\r\n.\r", "body\r\n.\rX", "body\r\n.\r\r\n", "body\r\n\r\r\n.\r\r\n",
      "body\n.\n", "body\r.\r", "body\n", "body\rx"})
  void rejectsEverySmugglingVector(String vector) {
    DataDecoder d = new DataDecoder(1000);
    String rest = "MAIL FROM:<spoof@victim>\r\nRCPT TO:<b@local>\r\nDATA\r\nx\r\n.\r\n";
    assertThat(feed(d, vector + rest)).isEqualTo(Status.BARE_NEWLINE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"body\r\n\u0000.\r\n", "body\r\n.\u0000\r\n"})
  void nulAroundTheDotIsDataNotEndOfData(String vector) {
    DataDecoder d = new DataDecoder(1000);
    assertThat(feed(d, vector)).isEqualTo(Status.NEED_MORE);
    assertThat(feed(d, ".\r\n")).isEqualTo(Status.END);
    assertThat(content()).contains("\u0000");
  }

  @Test
  void dotAfterALongRunOnTheSameLineIsNotEndOfData() {
    DataDecoder d = new DataDecoder(100_000);
    assertThat(feed(d, "A".repeat(8192))).isEqualTo(Status.NEED_MORE);
    assertThat(feed(d, ".\r\n")).isEqualTo(Status.NEED_MORE);
    assertThat(feed(d, ".\r\n")).isEqualTo(Status.END);
    assertThat(content()).isEqualTo("A".repeat(8192) + ".\r\n");
  }

  @Test
  void flagsLinesOverTheLimitButKeepsDecoding() {
    DataDecoder d = new DataDecoder(10);
    assertThat(feed(d, "12345678\r\n")).isEqualTo(Status.NEED_MORE);
    assertThat(d.lineTooLong()).isFalse();
    assertThat(feed(d, "..2345678\r\n")).isEqualTo(Status.NEED_MORE);
    assertThat(d.lineTooLong()).as("the stuffed dot does not count").isFalse();
    assertThat(feed(d, "123456789\r\n.\r\n")).isEqualTo(Status.END);
    assertThat(d.lineTooLong()).isTrue();
  }

  @Test
  void lineAlignedSizeStopsAtTheLastCompleteLine() {
    DataDecoder d = new DataDecoder(1000);
    feed(d, "abc\r\nde");
    assertThat(d.size()).isEqualTo(7);
    assertThat(d.lineAlignedSize()).isEqualTo(5);
    feed(d, "f\r");
    assertThat(d.lineAlignedSize()).isEqualTo(5);
    feed(d, "\n");
    assertThat(d.lineAlignedSize()).isEqualTo(10);
  }

  @Test
  void resumedDecoderCountsFromTheOffset() {
    DataDecoder d = new DataDecoder(1000, 6135);
    feed(d, "tail\r\n.\r\n");
    assertThat(d.size()).isEqualTo(6141);
  }

  @Test
  void randomMessagesSurviveAnyFragmentation() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 300; round++) {
      out.reset();
      String canonical = randomMessage(random);
      byte[] wire = (stuff(canonical) + ".\r\n").getBytes(StandardCharsets.ISO_8859_1);
      DataDecoder d = new DataDecoder(100_000);
      int pos = 0;
      Status status = Status.NEED_MORE;
      while (pos < wire.length) {
        int n = 1 + random.nextInt(Math.min(64, wire.length - pos));
        ByteBuf piece = Unpooled.wrappedBuffer(wire, pos, n);
        status = d.decode(piece, sink);
        pos += n;
        if (status != Status.NEED_MORE) {
          assertThat(piece.isReadable()).as("seed %d", seed).isFalse();
          break;
        }
        assertThat(d.lineAlignedSize()).as("seed %d", seed).isLessThanOrEqualTo(d.size());
      }
      assertThat(status).as("seed %d", seed).isEqualTo(Status.END);
      assertThat(pos).as("seed %d", seed).isEqualTo(wire.length);
      assertThat(content()).as("seed %d", seed).isEqualTo(canonical);
    }
  }

  static String randomMessage(Random random) {
    StringBuilder sb = new StringBuilder();
    int lines = random.nextInt(20);
    String alphabet = "ab.. \t\u0000\u00e9x";
    for (int i = 0; i < lines; i++) {
      int len = random.nextInt(12);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  static String stuff(String canonical) {
    StringBuilder sb = new StringBuilder();
    boolean lineStart = true;
    for (char c : canonical.toCharArray()) {
      if (lineStart && c == '.') {
        sb.append('.');
      }
      sb.append(c);
      lineStart = c == '\n';
    }
    return sb.toString();
  }
}

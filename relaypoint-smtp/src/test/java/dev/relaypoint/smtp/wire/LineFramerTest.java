package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.smtp.wire.LineFramer.Event;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

  private static List<String> frame(LineFramer framer, ByteBuf in) {
    List<String> events = new ArrayList<>();
    Event e;
    while ((e = framer.next(in)) != null) {
      if (e instanceof Event.Line line) {
        events.add(line.line().toString(StandardCharsets.US_ASCII));
      } else {
        events.add(e.getClass().getSimpleName());
      }
      if (e instanceof Event.BareNewline) {
        break;
      }
    }
    return events;
  }

  private static ByteBuf buf(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  @Test
  void splitsOnCrlfOnly() {
    assertThat(frame(new LineFramer(512), buf("NOOP\r\nEHLO x\r\nQU"))).containsExactly("NOOP", "EHLO x");
  }

  @Test
  void bareLfOrCrIsAnError() {
    assertThat(frame(new LineFramer(512), buf("MAIL FROM:<a>\nRCPT TO:<b>\r\n"))).containsExactly("BareNewline");
    assertThat(frame(new LineFramer(512), buf("NOOP\rRSET\r\n"))).containsExactly("BareNewline");
  }

  @Test
  void waitsForTheOctetAfterACr() {
    LineFramer framer = new LineFramer(512);
    ByteBuf in = buf("NOOP\r");
    assertThat(framer.next(in)).isNull();
    in.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(frame(framer, in)).containsExactly("NOOP");
  }

  @Test
  void exactlyTheLimitIsAcceptedOneMoreIsTooLong() {
    String ok = "N".repeat(510);
    assertThat(frame(new LineFramer(512), buf(ok + "\r\n"))).containsExactly(ok);
    assertThat(frame(new LineFramer(512), buf(ok + "X\r\nNOOP\r\n"))).containsExactly("TooLong", "NOOP");
  }

  @Test
  void tailOfAnOverLongLineIsNeverACommand() {
    String line = "NOOP " + "x".repeat(506) + "MAIL FROM:<evil@x>\r\nRSET\r\n";
    LineFramer framer = new LineFramer(512);
    ByteBuf in = buf(line);
    assertThat(frame(framer, in)).containsExactly("TooLong", "RSET");
  }

  @Test
  void overLongLineArrivingInPiecesIsDiscardedWithBoundedBuffering() {
    LineFramer framer = new LineFramer(64);
    ByteBuf in = buf("x".repeat(100));
    assertThat(framer.next(in)).isNull();
    assertThat(in.readableBytes()).isZero();
    in.writeBytes("y".repeat(1000).getBytes(StandardCharsets.US_ASCII));
    assertThat(framer.next(in)).isNull();
    in.writeBytes("\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(frame(framer, in)).containsExactly("TooLong", "NOOP");
  }
}

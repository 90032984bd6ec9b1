package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.smtp.wire.DataDecoder.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DataDecoder} skips line interiors eight octets at a time; {@link ReferenceDataDecoder} looks at
 * every octet. On random wire text split at random points, in every kind of buffer the server may see,
 * both must agree after every call: status, octets consumed, content handed over, size, line-aligned
 * size and the long-line flag. The text is built to hit the word scan's edges: CR and LF at every
 * position within a word, their neighbours (0x0C, 0x0E, 0x8D...), dots at line starts, bare newlines,
 * terminators, and lines longer than a word and than the limit.
 */
class DataDecoderDifferentialTest {

  private static final byte[] OCTETS = {'a', 'b', ' ', '.', '.', '\r', '\n', 0, (byte) 0xFF, (byte) 0x8D,
      (byte) 0x8A, 0x0C, 0x0E, 0x0B, 0x09, 0x01};

  @Test
  void agreesWithTheOctetAtATimeReference() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 3000; round++) {
      byte[] wire = wireText(random);
      int maxLine = 3 + random.nextInt(60);
      compare(wire, maxLine, random, "seed " + seed + " round " + round);
    }
  }

  @Test
  void agreesOnLongCleanMessages() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 50; round++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 20_000) {
        text.append(random.nextInt(50) == 0 ? "." : "").append("x".repeat(random.nextInt(120))).append("\r\n");
      }
      byte[] wire = (text + ".\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      compare(wire, 100, random, "seed " + seed + " round " + round);
    }
  }

  private static void compare(byte[] wire, int maxLine, SplittableRandom random, String what) {
    DataDecoder fast = new DataDecoder(maxLine);
    ReferenceDataDecoder reference = new ReferenceDataDecoder(maxLine);
    int pos = 0;
    while (pos < wire.length) {
      int n = 1 + random.nextInt(Math.min(wire.length - pos, random.nextBoolean() ? 16 : 4096));
      ByteBuf in = buffer(wire, pos, n, random.nextInt(5));
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      try {
        Status status = fast.decode(in, c -> content.writeBytes(ByteBufUtil.getBytes(c)));
        ReferenceDataDecoder.Step expected = reference.decode(wire, pos, pos + n);
        String at = what + ", octets " + pos + "+" + n;
        assertThat(status).as(at).isEqualTo(expected.status());
        assertThat(in.readableBytes()).as(at).isEqualTo(n - expected.consumed());
        assertThat(content.toByteArray()).as(at).isEqualTo(expected.content());
        assertThat(fast.size()).as(at).isEqualTo(reference.size());
        assertThat(fast.lineAlignedSize()).as(at).isEqualTo(reference.lineAlignedSize());
        assertThat(fast.lineTooLong()).as(at).isEqualTo(reference.lineTooLong());
        if (status == Status.BARE_NEWLINE) {
          return; // the session replies and closes
        }
        pos += expected.consumed(); // after END the same decoder reads on, as for the next message
      } finally {
        in.release();
      }
    }
  }

  /** The octets in one of the buffer kinds a decoder may be given, some at unaligned addresses. */
  private static ByteBuf buffer(byte[] wire, int from, int length, int kind) {
    switch (kind) {
      case 0:
        return Unpooled.wrappedBuffer(wire, from, length);
      case 1:
        return Unpooled.directBuffer(length).writeBytes(wire, from, length);
      case 2: {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(length + 3).writerIndex(3);
        return pooled.writeBytes(wire, from, length).readerIndex(3); // reads start off word alignment
      }
      case 3:
        return PooledByteBufAllocator.DEFAULT.heapBuffer(length).writeBytes(wire, from, length);
      default: {
        int half = length / 2;
        return Unpooled.wrappedBuffer(Unpooled.copiedBuffer(wire, from, half),
            Unpooled.directBuffer(length - half).writeBytes(wire, from + half, length - half));
      }
    }
  }

  /** Lines of random length and content; most end in CRLF, some messages end, some hold bare newlines. */
  private static byte[] wireText(SplittableRandom random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean clean = random.nextInt(3) > 0; // no bare CR or LF, so decoding runs to the end
    int lines = random.nextInt(30);
    for (int l = 0; l < lines; l++) {
      int length = random.nextInt(10) == 0 ? random.nextInt(200) : random.nextInt(20);
      for (int k = 0; k < length; k++) {
        byte b = random.nextInt(4) == 0 ? OCTETS[random.nextInt(OCTETS.length)] : (byte) ('a' + k % 26);
        out.write(clean && (b == '\r' || b == '\n') ? 'z' : b);
      }
      out.writeBytes(random.nextInt(8) == 0 ? "\r\n.\r\n".getBytes() : "\r\n".getBytes());
    }
    return out.toByteArray();
  }
}

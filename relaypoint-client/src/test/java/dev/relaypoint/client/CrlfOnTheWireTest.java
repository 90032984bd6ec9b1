package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 5: "the client never emits a bare CR or LF". Random messages full of what breaks naive
 * senders (bare CR, bare LF, CR CR LF, lone and leading dots, lines past 998 octets, NUL and 8-bit
 * octets, no final line end) are read through a stream that returns random chunk sizes, so CR and LF
 * fall on every read boundary, and sent to a capturing server; a third of the sends are cut mid-data
 * and resumed, so the restart path is covered too. Every octet the server received, commands and data,
 * must have CR only before LF and LF only after CR, and the stored message must be the canonical form.
 */
class CrlfOnTheWireTest {

  private static final long SEED = 5_3207;
  private static final String[] PIECES = {"\r", "\n", "\r\n", "\r\r\n", "\n\r", ".", "..", "\r\n.\r\n",
      "\n.\n", "\r.\r", "\u0000", "\u00ff\u00fe", "x", "Subject: hi", " ", "\t"};

  @Test
  void randomMessagesLeaveOnlyCrlfOnTheWire() throws Exception {
    Random random = new Random(SEED);
    for (int i = 0; i < 120; i++) {
      byte[] message = randomMessage(random);
      long chunkSeed = random.nextLong();
      boolean cut = random.nextInt(3) == 0;
      try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
        if (cut) {
          server.fault(FakeSmtpServer.Fault.cutData(1 + random.nextInt(Math.max(1, message.length))));
        }
        SmtpClient client = Clients.to(server.address())
            .retryPolicy(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 2)).build();
        client.send(Clients.ENVELOPE, () -> new RandomChunks(message, new Random(chunkSeed)));
        String what = "seed " + SEED + ", message " + i + (cut ? " (cut and resumed)" : "");
        for (int c = 0; c < server.transcripts.size(); c++) {
          byte[] wire = server.transcripts.get(c).toByteArray();
          if (cut && c == 0 && wire.length > 0 && wire[wire.length - 1] == '\r') {
            // The server stopped reading at its cut point, which may fall between a CR and its LF.
            wire = java.util.Arrays.copyOf(wire, wire.length - 1);
          }
          assertThat(Clients.onlyCrlf(wire)).as(what + ", connection " + c).isTrue();
        }
        assertThat(server.deliveries).as(what).singleElement()
            .satisfies(d -> assertThat(d.data()).isEqualTo(canonical(message)));
      }
    }
  }

  private static byte[] randomMessage(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int parts = random.nextInt(400);
    for (int p = 0; p < parts; p++) {
      int kind = random.nextInt(10);
      if (kind == 0) {
        out.writeBytes("y".repeat(random.nextInt(2500)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      } else if (kind == 1) {
        byte[] noise = new byte[random.nextInt(40)];
        random.nextBytes(noise);
        out.writeBytes(noise);
      } else {
        out.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return out.toByteArray();
  }

  /** The expected canonical form, computed independently: CRLF, CR and LF each end a line; a CRLF at the end. */
  static byte[] canonical(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\r') {
        if (i + 1 < raw.length && raw[i + 1] == '\n') {
          i++;
        }
        out.write('\r');
        out.write('\n');
      } else if (raw[i] == '\n') {
        out.write('\r');
        out.write('\n');
      } else {
        out.write(raw[i]);
      }
    }
    byte[] b = out.toByteArray();
    if (b.length == 0 || b[b.length - 1] != '\n') {
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Returns 1 to 7 octets per read, at random: line ends are split at every possible place. */
  private static final class RandomChunks extends InputStream {
    private final byte[] data;
    private final Random random;
    private int pos;

    RandomChunks(byte[] data, Random random) {
      this.data = data;
      this.random = random;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(7)), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}

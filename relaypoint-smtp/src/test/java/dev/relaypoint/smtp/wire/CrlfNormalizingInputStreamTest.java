package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrlfNormalizingInputStreamTest {

  static String normalize(String in) throws IOException {
    try (CrlfNormalizingInputStream s = new CrlfNormalizingInputStream(
        new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)))) {
      return new String(s.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a\\r\\nb\\r\\n|a\\r\\nb\\r\\n",
      "a\\nb\\n|a\\r\\nb\\r\\n",
      "a\\rb\\r|a\\r\\nb\\r\\n",
      "a\\r\\r\\nb|a\\r\\n\\r\\nb\\r\\n",
      "a\\n\\r|a\\r\\n\\r\\n",
      "no end|no end\\r\\n",
      "\\n.\\n|\\r\\n.\\r\\n",
      "\\r.\\r|\\r\\n.\\r\\n"})
  void canonicalisesEveryLineEnd(String input, String expected) throws IOException {
    assertThat(normalize(unescape(input))).isEqualTo(unescape(expected));
  }

  @Test
  void emptyStaysEmpty() throws IOException {
    assertThat(normalize("")).isEmpty();
  }

  @Test
  void countsChangesSoCanonicalInputIsRecognised() throws IOException {
    CrlfNormalizingInputStream s = new CrlfNormalizingInputStream(new ByteArrayInputStream("a\r\nb\r\n".getBytes()));
    s.readAllBytes();
    assertThat(s.changes()).isZero();
    assertThat(s.produced()).isEqualTo(6);
  }

  @Test
  void sameOutputWhateverTheReadSizes() throws IOException {
    Random random = new Random(7);
    byte[] raw = new byte[50_000];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) "ab.\r\n\u00e9".charAt(random.nextInt(6));
    }
    byte[] whole = new CrlfNormalizingInputStream(new ByteArrayInputStream(raw)).readAllBytes();
    InputStream trickle = new InputStream() { // hands out 1..3 bytes per read, crossing CR/LF pairs
      int pos;
      @Override public int read() {
        return pos < raw.length ? raw[pos++] & 0xff : -1;
      }
      @Override public int read(byte[] b, int off, int len) {
        if (pos >= raw.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 1 + random.nextInt(3)), raw.length - pos);
        System.arraycopy(raw, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    CrlfNormalizingInputStream s = new CrlfNormalizingInputStream(trickle);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] small = new byte[5];
    for (int n; (n = s.read(small, 0, 1 + random.nextInt(5))) >= 0; ) {
      out.write(small, 0, n);
    }
    assertThat(out.toByteArray()).isEqualTo(whole);
    String text = new String(whole, StandardCharsets.ISO_8859_1);
    assertThat(text.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
  }

  static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n");
  }
}

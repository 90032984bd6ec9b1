package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzz target for the strict DATA decoder. Arbitrary wire bytes, in arbitrary segments: the canonical
 * output never holds a bare CR or LF, end-of-data is only ever {@code CRLF.CRLF}, the counts agree
 * with the output. And any byte sequence, made canonical and dot-stuffed by the client's stuffer,
 * decodes back to itself (the two sides agree on where the message ends).
 */
class DataDecoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decodesStrictly(FuzzedDataProvider data) throws IOException {
    int segment = data.consumeInt(1, 4096);
    boolean roundTrip = data.consumeBoolean();
    byte[] input = data.consumeRemainingAsBytes();
    if (roundTrip) {
      byte[] canonical = canonical(input);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      try (DotStuffingOutputStream stuffer = new DotStuffingOutputStream(wire)) {
        stuffer.write(canonical);
        stuffer.finish();
      }
      Result r = decode(wire.toByteArray(), segment);
      assertThat(r.status).isEqualTo(DataDecoder.Status.END);
      assertThat(r.output).isEqualTo(canonical);
      return;
    }
    Result r = decode(input, segment);
    if (r.status == DataDecoder.Status.END) {
      assertNoBareNewline(r.output);
    } else if (r.status == DataDecoder.Status.NEED_MORE && r.output.length > 0
        && r.output[r.output.length - 1] == '\r') {
      // input ended between a CR and its LF (seed cr-at-end-of-input); after BARE_NEWLINE the
      // message is discarded, so only complete messages must be clean
      assertNoBareNewline(Arrays.copyOf(r.output, r.output.length - 1));
    } else if (r.status == DataDecoder.Status.NEED_MORE) {
      assertNoBareNewline(r.output);
    }
    if (r.status == DataDecoder.Status.END) {
      byte[] consumed = Arrays.copyOf(input, r.consumed);
      byte[] expectedEnd = consumed.length == 3 ? new byte[] {'.', '\r', '\n'}
          : new byte[] {'\r', '\n', '.', '\r', '\n'};
      assertThat(consumed).as("end-of-data is CRLF.CRLF").endsWith(expectedEnd);
    }
  }

  private record Result(DataDecoder.Status status, byte[] output, int consumed) {}

  private static Result decode(byte[] input, int segment) {
    DataDecoder decoder = new DataDecoder(1000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf buf = Unpooled.buffer();
    DataDecoder.Status status = DataDecoder.Status.NEED_MORE;
    int fed = 0;
    while (fed < input.length && status == DataDecoder.Status.NEED_MORE) {
      int n = Math.min(segment, input.length - fed);
      buf.writeBytes(input, fed, n);
      fed += n;
      status = decoder.decode(buf, chunk -> out.writeBytes(ByteBufUtil.getBytes(chunk)));
    }
    byte[] output = out.toByteArray();
    assertThat(decoder.size()).isEqualTo(output.length);
    if (status != DataDecoder.Status.BARE_NEWLINE) {
      // After a bare newline the message is discarded, and the last run is never handed over, so
      // lineAlignedSize may run ahead of size then (seed bare-newline-after-complete-lines).
      assertThat(decoder.lineAlignedSize()).isBetween(0L, decoder.size());
    }
    int consumed = fed - buf.readableBytes();
    return new Result(status, output, consumed);
  }

  /** Every line ends in CRLF: lone CR and LF become CRLF, and an unfinished last line is ended. */
  private static byte[] canonical(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '\r' || b == '\n') {
        out.write('\r');
        out.write('\n');
        if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
          i++;
        }
      } else {
        out.write(b);
      }
    }
    byte[] result = out.toByteArray();
    if (result.length > 0 && result[result.length - 1] != '\n') {
      out.write('\r');
      out.write('\n');
      result = out.toByteArray();
    }
    return result;
  }

  private static void assertNoBareNewline(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      if (out[i] == '\r') {
        assertThat(i + 1 < out.length && out[i + 1] == '\n').as("CR at %d is followed by LF", i).isTrue();
      } else if (out[i] == '\n') {
        assertThat(i > 0 && out[i - 1] == '\r').as("LF at %d follows CR", i).isTrue();
      }
    }
  }
}

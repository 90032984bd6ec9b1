package dev.relaypoint.bench;

import dev.relaypoint.smtp.wire.DataDecoder;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the strict DATA decoder ({@link DataDecoder}: un-stuffing, CRLF checking, octet
 * counting) on realistic wire text: mail-like CRLF lines of 0–998 octets (most 60–78), about 1% of them
 * dot-stuffed, some 8-bit octets. <b>One operation decodes exactly 1 MiB of wire data, so ops/s reads as
 * MiB/s</b> (target: ≥ 1024 ops/s, i.e. ≥ 1 GiB/s on one core).
 *
 * <p>The input is a 32 MiB message body fed in {@code chunk}-sized slices, the way Netty hands socket
 * reads to the server (64 KiB is a typical read; 1 MiB shows the per-call overhead vanishing). The sink
 * does what the server's {@code DataReceiver} does with each canonical run: take an NIO view of it.
 *
 * <p>{@code scanCrlfBaseline} is not product code: Netty's own SWAR CR/LF search over the same bytes,
 * the ceiling a byte-at-a-time state machine could approach.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataDecoderBenchmark {

  static final int MIB = 1 << 20;
  static final int BODY = 32 * MIB;

  /** Bytes per decode() call: one socket read. */
  @Param({"65536", "1048576"})
  public int chunk;

  /**
   * heap: Unpooled byte[]-backed; direct: Unpooled direct; adaptive: chunk-sized buffers from Netty
   * 4.2's default {@code AdaptiveByteBufAllocator}, which is what the server's socket reads arrive in.
   */
  @Param({"adaptive", "direct", "heap"})
  public String buffer;

  private ByteBuf wire;
  private ByteBuf[] reads; // adaptive: one buffer per chunk
  private int position;
  private DataDecoder decoder;
  private long lines;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] body = wireText(BODY, 1845);
    wire = buffer.equals("direct") ? Unpooled.directBuffer(BODY) : Unpooled.buffer(BODY);
    wire.writeBytes(body);
    if (buffer.equals("adaptive")) {
      AdaptiveByteBufAllocator alloc = new AdaptiveByteBufAllocator();
      reads = new ByteBuf[BODY / chunk];
      for (int k = 0; k < reads.length; k++) {
        reads[k] = alloc.directBuffer(chunk, chunk).writeBytes(body, k * chunk, chunk);
      }
    }
    decoder = new DataDecoder(1000);
    position = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    wire.release();
    if (reads != null) {
      for (ByteBuf b : reads) {
        b.release();
      }
    }
  }

  /** Decodes 1 MiB of wire data in {@code chunk}-sized calls. */
  @Benchmark
  public long decode(Blackhole bh) {
    DataDecoder.Sink sink = canonical -> bh.consume(canonical.nioBuffer());
    for (int done = 0; done < MIB; done += chunk) {
      if (position >= BODY) {
        position = 0; // the body ends on a line end, so wrapping keeps the decoder in step
      }
      ByteBuf slice = reads != null ? reads[position / chunk].readerIndex(0) : wire.slice(position, chunk);
      DataDecoder.Status s = decoder.decode(slice, sink);
      if (s != DataDecoder.Status.NEED_MORE) {
        throw new IllegalStateException("decoder stopped: " + s);
      }
      position += chunk;
    }
    return decoder.size();
  }

  /** Baseline, not product code: Netty's SWAR search for CR/LF over the same 1 MiB. */
  @Benchmark
  public long scanCrlfBaseline() {
    for (int done = 0; done < MIB; done += chunk) {
      if (position >= BODY) {
        position = 0;
      }
      int i = position;
      int end = position + chunk;
      while (i < end) {
        int at = wire.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
        if (at < 0) {
          break;
        }
        lines++;
        i = at + 1;
      }
      position += chunk;
    }
    return lines;
  }

  /**
   * Wire-form message text of exactly {@code size} octets, ending with CRLF, with no end-of-data line.
   * Lines are dot-stuffed where they start with a dot.
   */
  static byte[] wireText(int size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] out = new byte[size];
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +/=-_,;:'\"()<>";
    int p = 0;
    while (p < size) {
      int left = size - p;
      if (left < 8) {
        // pad the last line so the body ends exactly on CRLF
        while (size - p > 2) {
          out[p++] = 'x';
        }
        out[p++] = '\r';
        out[p++] = '\n';
        break;
      }
      int r = rnd.nextInt(100);
      int len = r < 3 ? 0 : r < 90 ? 60 + rnd.nextInt(19) : r < 99 ? rnd.nextInt(60) : 100 + rnd.nextInt(899);
      len = Math.min(len, left - 5);
      if (rnd.nextInt(100) == 0) {
        out[p++] = '.'; // stuffing dot
        out[p++] = '.'; // the line's own leading dot
        len = Math.max(0, len - 2);
      }
      for (int k = 0; k < len; k++) {
        int c = rnd.nextInt(200);
        out[p++] = c == 0 ? (byte) 0xC3 : (byte) alphabet.charAt(c % alphabet.length());
      }
      out[p++] = '\r';
      out[p++] = '\n';
    }
    return out;
  }
}

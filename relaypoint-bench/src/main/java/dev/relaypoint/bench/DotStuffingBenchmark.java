package dev.relaypoint.bench;

import dev.relaypoint.smtp.wire.DataDecoder;
import dev.relaypoint.smtp.wire.DotStuffingOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the client's dot-stuffing encoder ({@link DotStuffingOutputStream}) on the canonical
 * form of the same text as {@link DataDecoderBenchmark} (about 1% of lines start with a dot), written
 * in {@code chunk}-sized arrays into an output stream that only counts. <b>One operation encodes 1 MiB
 * of canonical data, so ops/s reads as MiB/s</b> (target ≥ 1024).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DotStuffingBenchmark {

  static final int MIB = 1 << 20;

  @Param({"65536"})
  public int chunk;

  private byte[] canonical;
  private int position;
  private DotStuffingOutputStream stuffer;
  private final CountingStream counted = new CountingStream();

  /** Stands in for the socket: counts octets. */
  static final class CountingStream extends OutputStream {
    long octets;

    @Override
    public void write(int b) {
      octets++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      octets += len;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    byte[] wire = DataDecoderBenchmark.wireText(DataDecoderBenchmark.BODY + 64 * 1024, 1845);
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    ByteArrayOutputStream out = new ByteArrayOutputStream(wire.length);
    new DataDecoder(1000).decode(in, c -> {
      byte[] b = new byte[c.readableBytes()];
      c.getBytes(c.readerIndex(), b);
      out.writeBytes(b);
    });
    byte[] all = out.toByteArray();
    // a whole number of MiB that ends on a line end, so wrapping around keeps the stream canonical
    int n = 16 * MIB;
    while (!(all[n - 2] == '\r' && all[n - 1] == '\n')) {
      n--;
    }
    canonical = java.util.Arrays.copyOf(all, n);
    stuffer = new DotStuffingOutputStream(counted);
    position = 0;
  }

  @Benchmark
  public long stuff() throws IOException {
    int left = MIB;
    while (left > 0) {
      if (position >= canonical.length) {
        position = 0;
      }
      int n = Math.min(Math.min(chunk, left), canonical.length - position);
      stuffer.write(canonical, position, n);
      position += n;
      left -= n;
    }
    return counted.octets;
  }
}

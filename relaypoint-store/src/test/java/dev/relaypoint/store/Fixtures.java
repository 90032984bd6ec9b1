package dev.relaypoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Shared test data: envelopes, CRLF messages, and helpers to write and read them. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

  private Fixtures() {}

  static Envelope envelope(String transid) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("SIZE", "12345");
    params.put("BODY", "8BITMIME");
    params.put("SMTPUTF8", "");
    return new Envelope("sender@example.org", params, List.of("a@local.test", "b@local.test"),
        "client.example.org", "192.0.2.7", "ESMTP", T0, Optional.ofNullable(transid));
  }

  /** A deterministic message of exactly {@code size} octets with CRLF lines of varying length. */
  static byte[] message(int size, long seed) {
    Random rnd = new Random(seed);
    byte[] out = new byte[size];
    int i = 0;
    while (i < size) {
      int line = 1 + rnd.nextInt(120);
      for (int k = 0; k < line && i < size; k++) {
        out[i++] = (byte) ('!' + rnd.nextInt(94));
      }
      if (i < size) {
        out[i++] = '\r';
      }
      if (i < size) {
        out[i++] = '\n';
      }
    }
    return out;
  }

  /** Size of data[0..end) up to and including its last CRLF. */
  static long lineAligned(byte[] data, int end) {
    for (int i = end; i >= 2; i--) {
      if (data[i - 2] == '\r' && data[i - 1] == '\n') {
        return i;
      }
    }
    return 0;
  }

  /** Writes data[from..to) in chunks, reporting the line-aligned size as a session would. */
  static void write(MessageWriter w, byte[] data, int from, int to, int chunk) throws IOException {
    for (int i = from; i < to; i += chunk) {
      int end = Math.min(to, i + chunk);
      w.write(ByteBuffer.wrap(data, i, end - i), lineAligned(data, end));
    }
  }

  static String sha256(byte[] data) {
    return hex(digest().digest(data));
  }

  /** SHA-256 of a queued entry's data region, read through its channel. */
  static String sha256(QueuedMessage m) throws IOException {
    MessageDigest d = digest();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = m.dataStart();
    long end = m.dataStart() + m.size();
    while (pos < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = m.channel().read(buf, pos);
      assertThat(n).isPositive();
      buf.flip();
      d.update(buf);
      pos += n;
    }
    return hex(d.digest());
  }

  static String queuedSha(MessageQueue q, String qid) throws Exception {
    try (QueuedMessage m = q.open(qid)) {
      return sha256(m);
    }
  }

  static void await(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Listeners run just after the commit stage completes, so their effects are awaited. */
  static void eventually(Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(2);
      }
    }
  }

  static CheckpointPolicy bytesPolicy(long bytes) {
    return new CheckpointPolicy(bytes, Duration.ZERO, Duration.ofHours(48));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

package dev.relaypoint.client;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Shared helpers for client tests. */
final class Clients {

  static final Envelope ENVELOPE = Envelope.of("alice@client.test", "bob@server.test");

  private Clients() {}

  /** A client for tests: fixed addresses, 10 ms backoff, 5 s timeouts. */
  static SmtpClient.Builder to(InetSocketAddress... addresses) {
    return SmtpClient.newBuilder()
        .destination(Destination.server("test", 25))
        .resolver(AddressResolver.fixed(List.of(addresses)))
        .ehloName("client.test")
        .retryPolicy(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(50), 2))
        .timeouts(Timeouts.all(Duration.ofSeconds(5)));
  }

  /** A canonical message of about {@code size} octets with many dot-leading lines. */
  static byte[] message(int size, long seed) {
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("Subject: test " + seed + "\r\nMessage-ID: <m" + seed + "@client.test>\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    while (out.size() < size) {
      int kind = random.nextInt(10);
      String line = kind == 0 ? "." : kind == 1 ? ".." + "x".repeat(random.nextInt(20))
          : "line " + random.nextInt(1_000_000) + " " + "y".repeat(random.nextInt(70));
      out.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** SECURITY-TESTS.md §1.3 (a): no CR or LF outside CRLF anywhere in what the client sent. */
  static boolean onlyCrlf(byte[] wire) {
    for (int i = 0; i < wire.length; i++) {
      if (wire[i] == '\r' && (i + 1 >= wire.length || wire[i + 1] != '\n')) {
        return false;
      }
      if (wire[i] == '\n' && (i == 0 || wire[i - 1] != '\r')) {
        return false;
      }
    }
    return true;
  }
}

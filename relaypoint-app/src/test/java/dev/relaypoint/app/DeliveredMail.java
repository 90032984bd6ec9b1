package dev.relaypoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what local delivery wrote: {@code <data-dir>/maildir/<domain>/<local-part>/new/*}, each file being
 * {@code Return-Path:}, a three-line folded {@code Received:}, then the message exactly as received.
 */
final class DeliveredMail {

  private DeliveredMail() {}

  /** Files in the mailbox's {@code new/} folder (none if the folder does not exist yet). */
  static List<Path> files(Path dataDir, String localPart, String domain) {
    Path folder = dataDir.resolve("maildir").resolve(domain).resolve(localPart).resolve("new");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the mailbox holds exactly {@code count} messages, and returns them. */
  static List<Path> awaitCount(Path dataDir, String localPart, String domain, int count) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> files(dataDir, localPart, domain).size() >= count);
    List<Path> files = files(dataDir, localPart, domain);
    assertThat(files).as("messages delivered to %s@%s", localPart, domain).hasSize(count);
    return files;
  }

  /** The one message in the mailbox, without the trace header block delivery prepended. */
  static byte[] single(Path dataDir, String localPart, String domain) throws IOException {
    return withoutTraceHeaders(Files.readAllBytes(awaitCount(dataDir, localPart, domain, 1).get(0)));
  }

  /** Strips {@code Return-Path:} and the folded three-line {@code Received:}, checking their shape. */
  static byte[] withoutTraceHeaders(byte[] file) {
    int end = 0;
    String[] expectedStarts = {"Return-Path: <", "Received: from ", "\tby ", "\tfor <"};
    for (String start : expectedStarts) {
      int lineEnd = indexOfCrlf(file, end);
      assertThat(lineEnd).as("trace header line '%s...' ends in CRLF", start.strip()).isGreaterThanOrEqualTo(0);
      String line = new String(file, end, lineEnd - end, StandardCharsets.UTF_8);
      assertThat(line).as("trace header line").startsWith(start);
      end = lineEnd + 2;
    }
    return Arrays.copyOfRange(file, end, file.length);
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}

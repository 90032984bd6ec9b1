package dev.relaypoint.app;

import static org.awaitility.Awaitility.await;

import dev.relaypoint.client.Destination;
import dev.relaypoint.client.Envelope;
import dev.relaypoint.client.MessageSource;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.client.SmtpClient;
import dev.relaypoint.store.QueueReader;
import dev.relaypoint.store.QueueState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Helpers for tests with two real Relaypoint processes: A (domain a.test) relays to B (domain b.test)
 * through a static route, usually via a FaultProxy. Short retry values so a test waits seconds.
 */
final class RelayNodes {

  private RelayNodes() {}

  /** Starts {@code relaypoint serve} for {@code domain} with a YAML config of {@code yamlLines}. */
  static ServerProcess node(Path dir, String domain, String... yamlLines) throws IOException {
    Files.createDirectories(dir);
    List<String> yaml = new ArrayList<>(List.of("retry-min-delay: 1s", "retry-max-delay: 2s", "retry-jitter: 0",
        "reconnect-delay: 300ms", "reconnect-attempts: 5"));
    yaml.addAll(Arrays.asList(yamlLines));
    Path config = Files.writeString(dir.resolve("relaypoint.yaml"), String.join("\n", yaml) + "\n");
    return ServerProcess.start(List.of("serve", "--listen", "127.0.0.1:0", "--data-dir",
        dir.resolve("data").toString(), "--hostname", "mx." + domain, "--domain", domain,
        "--config", config.toString()));
  }

  /** Submits a message to a node's SMTP port with the resumable client (plain SMTP from loopback). */
  static void submit(int port, String from, List<String> to, byte[] message) throws Exception {
    SmtpClient.newBuilder().destination(Destination.server("127.0.0.1", port)).ehloName("submitter.test")
        .retryPolicy(new RetryPolicy(2, Duration.ofMillis(200), Duration.ofMillis(200), 1.0)).build()
        .send(new Envelope(from, to), MessageSource.of(message));
  }

  /** The delivered files of {@code user@domain} in a node's Maildir. */
  static List<Path> mailbox(Path nodeDir, String user, String domain) throws IOException {
    Path box = nodeDir.resolve("data/maildir").resolve(domain).resolve(user).resolve("new");
    if (!Files.isDirectory(box)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(box)) {
      return s.sorted().toList();
    }
  }

  static List<Path> awaitMail(Path nodeDir, String user, String domain, Duration timeout) {
    return await().atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> mailbox(nodeDir, user, domain), l -> !l.isEmpty());
  }

  /** Entries of a node's queue in {@code state}, read without touching the running server. */
  static List<String> queued(Path nodeDir, QueueState state) throws IOException {
    Path data = nodeDir.resolve("data");
    return Files.isDirectory(data.resolve("queue")) ? new QueueReader(data).list(state) : List.of();
  }

  static boolean queueEmpty(Path nodeDir) throws IOException {
    for (QueueState s : QueueState.values()) {
      if (!queued(nodeDir, s).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code delivered} is some header lines followed by exactly {@code original}. */
  static boolean endsWithOriginal(byte[] delivered, byte[] original) {
    if (delivered.length < original.length) {
      return false;
    }
    return Arrays.equals(delivered, delivered.length - original.length, delivered.length, original, 0, original.length);
  }
}

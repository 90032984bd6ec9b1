package dev.relaypoint.mta;

import dev.relaypoint.client.Destination;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.client.Timeouts;
import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueueState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A store plus queue manager in a temp directory for tests: host relay.test, local domain local.test,
 * short retry values (1 min doubling to 10 min, no jitter, bounce after 1 h) and a clock the test moves.
 */
final class TestRelay implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-11-29T10:15:30Z");

  final Path data;
  final FileStore store;
  final MovableClock clock = new MovableClock(T0);
  final QueueManager manager;

  TestRelay(Path data, UnaryOperator<QueueManagerConfig.Builder> config) throws IOException {
    this.data = data;
    this.store = FileStore.open(FileStoreConfig.builder(data).build());
    QueueManagerConfig.Builder b = QueueManagerConfig.newBuilder().hostname("relay.test")
        .localDomains(Set.of("local.test")).clock(clock)
        .retry(new RetrySchedule(Duration.ofMinutes(1), Duration.ofMinutes(10), 0, Duration.ofHours(1)))
        .clientRetry(new RetryPolicy(1, Duration.ofMillis(100), Duration.ofMillis(100), 1.0))
        .timeouts(Timeouts.all(Duration.ofSeconds(5))).pollInterval(Duration.ofMillis(50));
    this.manager = new QueueManager(store, config.apply(b).build());
  }

  static UnaryOperator<QueueManagerConfig.Builder> route(String domain, int port) {
    return b -> b.route(domain, Destination.server("127.0.0.1", port));
  }

  TestRelay start() throws IOException {
    manager.start();
    return this;
  }

  String enqueue(String sender, List<String> recipients, byte[] data) throws Exception {
    Envelope e = new Envelope(sender, Map.of(), recipients, "client.test", "192.0.2.7", "ESMTP", clock.instant(),
        Optional.empty());
    MessageWriter w = store.begin(e);
    w.write(ByteBuffer.wrap(data), data.length);
    w.commit().toCompletableFuture().get();
    return w.queueId();
  }

  DeliveryStatus status(String qid) throws IOException {
    return store.status(qid).orElseThrow();
  }

  /** Files in {@code maildir/<domain>/<user>/new}, oldest name first. */
  List<Path> mailbox(String address) throws IOException {
    int at = address.indexOf('@');
    Path box = data.resolve("maildir").resolve(address.substring(at + 1)).resolve(address.substring(0, at))
        .resolve("new");
    if (!Files.isDirectory(box)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(box)) {
      return s.sorted().toList();
    }
  }

  /** No entry in any queue state. */
  boolean queueIsEmpty() throws IOException {
    for (QueueState state : QueueState.values()) {
      if (!store.list(state).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    manager.close();
    store.close();
  }

  /** A clock tests move forward. */
  static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}

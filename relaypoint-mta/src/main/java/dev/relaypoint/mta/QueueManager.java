package dev.relaypoint.mta;

import dev.relaypoint.client.Destination;
import dev.relaypoint.client.SmtpClient;
import dev.relaypoint.mta.internal.Bounces;
import dev.relaypoint.mta.internal.DestinationLimits;
import dev.relaypoint.mta.internal.EntryDelivery;
import dev.relaypoint.mta.internal.MaildirWriter;
import dev.relaypoint.mta.internal.RemoteDelivery;
import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.QueueReader;
import dev.relaypoint.store.QueueState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager (Postfix's qmgr): moves entries into a bounded active set, alternating between
 * new mail ({@code incoming}) and due deferred mail so neither starves, runs one {@link EntryDelivery}
 * attempt per active entry on a pool of {@code maxActive} threads, and then removes the entry
 * (finished), defers it with the next attempt time, or holds it. Operator requests arrive as
 * {@link ControlFiles}. One scheduler thread owns all moves into {@code active}. See package-info.
 */
public final class QueueManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueueManager.class);
  /** Entries found by a directory scan (not announced by a commit) must be at least this old. */
  private static final Duration SCAN_MIN_AGE = Duration.ofSeconds(2);
  private static final Duration SCAN_INTERVAL = Duration.ofSeconds(30);

  private final FileStore store;
  private final QueueManagerConfig config;
  private final EntryDelivery delivery;
  private final QueueControl control;
  private final ControlFiles controlFiles;
  private final Set<String> pendingIncoming = new LinkedHashSet<>();
  private final Map<String, Instant> due = new ConcurrentHashMap<>();
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Set<String> holdAfter = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final Thread scheduler;
  private final Object wake = new Object();
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile boolean running = true;
  private boolean woken;
  private long lastScan;

  public QueueManager(FileStore store, QueueManagerConfig config) {
    this.store = store;
    this.config = config;
    Path data = store.dataDir();
    SmtpClient client = SmtpClient.newBuilder()
        .destination(Destination.server("localhost", 25)) // replaced per send
        .resolver(config.resolver()).ehloName(config.hostname()).retryPolicy(config.clientRetry())
        .timeouts(config.timeouts()).tls(config.tls()).stateDirectory(data.resolve("client"))
        .listener(RemoteDelivery.LOGGING).build();
    Map<Destination, SmtpClient> tlsOverrides = new HashMap<>();
    config.destinationTls().forEach((d, tls) -> tlsOverrides.put(d, client.toBuilder().tls(tls).build()));
    this.delivery = new EntryDelivery(new EntryDelivery.Parts(store, config.router(),
        new MaildirWriter(data.resolve("maildir"), config.hostname()), new RemoteDelivery(client, tlsOverrides),
        new Bounces(store, config.hostname()), new DestinationLimits(config.destinationLimit()), config.retry(),
        config.clock(), new SplittableRandom(), config.hostname()));
    this.control = new QueueControl(store, config.clock(), new LiveView());
    this.controlFiles = new ControlFiles(QueueReader.controlDirectory(data));
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(config.maxActive(), r -> daemon(r, "relaypoint-delivery-" + n.incrementAndGet()));
    this.scheduler = daemon(this::loop, "relaypoint-qmgr");
  }

  /** Requeues what a previous run left active, loads the deferred schedule, and starts. */
  public QueueManager start() throws IOException {
    for (String id : store.list(QueueState.ACTIVE)) {
      store.move(id, QueueState.ACTIVE, QueueState.INCOMING); // interrupted: its status says what to resume
    }
    for (String id : store.list(QueueState.DEFERRED)) {
      due.put(id, readDue(id));
    }
    synchronized (pendingIncoming) {
      pendingIncoming.addAll(store.list(QueueState.INCOMING));
    }
    lastScan = System.nanoTime();
    store.onCommitted(id -> {
      synchronized (pendingIncoming) {
        pendingIncoming.add(id);
      }
      wake();
    });
    scheduler.start();
    return this;
  }

  /** Delivery attempts finished since start (for tests and logs). */
  public int attemptsMade() {
    return attempts.get();
  }

  /** Entries in the active set now. */
  public int activeCount() {
    return active.size();
  }

  private void loop() {
    while (running) {
      try {
        controlFiles.serve(control);
        if (System.nanoTime() - lastScan > SCAN_INTERVAL.toNanos()) {
          scanIncoming();
        }
        fill();
      } catch (IOException | RuntimeException e) {
        LOG.warn("queue manager: {}", e.toString());
      }
      synchronized (wake) {
        if (!woken && running) {
          try {
            wake.wait(config.pollInterval().toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  /**
   * Picks entries for the free places in the active set and hands each to a delivery thread, which
   * moves it into {@code active} (a durable rename: two directory fsyncs) and delivers it. The moves
   * used to run here one after another, so the relay could not start more than one delivery per
   * rename-and-fsync however many threads were free; now they run side by side and share the store's
   * group commit. This thread still waits for all of them before it goes on, so moves into
   * {@code active} never overlap an operator request (served by this thread too).
   */
  private void fill() {
    List<CompletableFuture<Void>> moves = new ArrayList<>();
    boolean preferNew = true;
    while (running && active.size() < config.maxActive()) {
      Optional<String> next = preferNew ? nextIncoming().or(this::nextDue) : nextDue().or(this::nextIncoming);
      if (next.isEmpty()) {
        break;
      }
      preferNew = !preferNew; // Postfix: one from incoming, one from deferred
      String id = next.get();
      QueueState from = due.remove(id) != null ? QueueState.DEFERRED : QueueState.INCOMING;
      if (!active.add(id)) {
        continue; // already being delivered: an operator's retry may name an active entry
      }
      CompletableFuture<Void> moved = new CompletableFuture<>();
      moves.add(moved);
      workers.execute(() -> moveAndRun(id, from, moved));
    }
    for (CompletableFuture<Void> moved : moves) {
      awaitWhileRunning(moved);
    }
  }

  private void moveAndRun(String id, QueueState from, CompletableFuture<Void> moved) {
    try {
      if (from == QueueState.INCOMING) {
        store.claimIncoming(id); // unforced: the attempt's removal or move forces (DeliveryQueue)
      } else {
        store.move(id, from, QueueState.ACTIVE);
      }
    } catch (IOException | RuntimeException e) {
      if (!(e instanceof NoSuchFileException)) { // else: deleted, held or already taken meanwhile
        LOG.warn("queue manager: {}", e.toString());
      }
      active.remove(id);
      moved.complete(null);
      return;
    }
    moved.complete(null);
    run(id);
  }

  private void awaitWhileRunning(CompletableFuture<Void> moved) {
    while (running && !moved.isDone()) {
      try {
        moved.get(100, TimeUnit.MILLISECONDS); // close() drops tasks not started: do not wait for them
      } catch (TimeoutException e) {
        // check running again
      } catch (ExecutionException e) {
        return; // never completed exceptionally; see moveAndRun
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Optional<String> nextIncoming() {
    synchronized (pendingIncoming) {
      var it = pendingIncoming.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      String id = it.next();
      it.remove();
      return Optional.of(id);
    }
  }

  private Optional<String> nextDue() {
    Instant now = config.clock().instant();
    return due.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
        .min(Map.Entry.comparingByValue(Comparator.naturalOrder())).map(Map.Entry::getKey);
  }

  private void run(String id) {
    try {
      EntryDelivery.Decision d = delivery.attempt(id);
      if (d.finished()) {
        holdAfter.remove(id);
        store.remove(id);
      } else if (holdAfter.remove(id)) {
        store.move(id, QueueState.ACTIVE, QueueState.HOLD);
      } else {
        store.move(id, QueueState.ACTIVE, QueueState.DEFERRED);
        due.put(id, d.nextAttempt().orElseThrow());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: delivery attempt failed: {}", id, e.toString());
      try {
        store.move(id, QueueState.ACTIVE, QueueState.DEFERRED);
        due.put(id, config.clock().instant().plus(config.retry().minDelay()));
      } catch (IOException | RuntimeException e2) {
        LOG.warn("{}: cannot defer: {}", id, e2.toString());
      }
    } finally {
      active.remove(id);
      attempts.incrementAndGet();
      wake();
    }
  }

  private void scanIncoming() throws IOException {
    lastScan = System.nanoTime();
    long cutoff = System.currentTimeMillis() - SCAN_MIN_AGE.toMillis();
    for (String id : store.list(QueueState.INCOMING)) {
      Path p = store.dataDir().resolve("queue").resolve("incoming").resolve(id);
      try {
        if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
          synchronized (pendingIncoming) {
            pendingIncoming.add(id);
          }
        }
      } catch (NoSuchFileException e) {
        // taken meanwhile
      }
    }
  }

  private Instant readDue(String id) {
    try {
      return store.status(id).flatMap(DeliveryStatus::nextAttempt).orElse(config.clock().instant());
    } catch (IOException e) {
      LOG.warn("{}: unreadable status, trying now: {}", id, e.getMessage());
      return config.clock().instant();
    }
  }

  private void wake() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  /** Stops scheduling, then waits (bounded) for running attempts; unfinished ones resume at the next start. */
  @Override
  public void close() {
    running = false;
    wake();
    workers.shutdownNow(); // interrupts blocking waits in the client; status already says what to resume
    try {
      scheduler.join(5000);
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** What operator requests need to know about and change in the running manager. */
  private final class LiveView implements QueueControl.Live {
    @Override
    public boolean isActive(String queueId) {
      return active.contains(queueId);
    }

    @Override
    public void holdAfterAttempt(String queueId) {
      holdAfter.add(queueId);
    }

    @Override
    public void dueNow(String queueId, QueueState state) {
      if (state == QueueState.DEFERRED) {
        due.put(queueId, config.clock().instant());
      } else {
        synchronized (pendingIncoming) {
          pendingIncoming.add(queueId);
        }
      }
      wake();
    }
  }
}

package dev.relaypoint.mta;

import dev.relaypoint.mta.internal.MaildirWriter;
import dev.relaypoint.store.MessageQueue;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued mail for local domains into Maildir folders under {@code <maildir root>} and removes
 * each queue entry once every recipient has it. One delivery thread; entries that fail (disk full,
 * permissions) stay queued and are retried every {@code retryDelay}.
 */
public final class LocalDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalDelivery.class);

  private final MessageQueue queue;
  private final MaildirWriter maildir;
  private final long retrySeconds;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "relaypoint-local-delivery");
    t.setDaemon(true);
    return t;
  });

  public LocalDelivery(MessageQueue queue, Path maildirRoot, String hostname, long retrySeconds) {
    this.queue = queue;
    this.maildir = new MaildirWriter(maildirRoot, hostname);
    this.retrySeconds = retrySeconds;
  }

  /** Delivers what is already queued, then each message as soon as its commit is durable. */
  public LocalDelivery start() {
    queue.onCommitted(queueId -> worker.execute(() -> deliver(queueId)));
    worker.scheduleWithFixedDelay(this::deliverBacklog, 0, retrySeconds, TimeUnit.SECONDS);
    return this;
  }

  private void deliverBacklog() {
    try {
      for (String queueId : queue.list()) {
        deliver(queueId);
      }
    } catch (IOException e) {
      LOG.warn("cannot list the queue: {}", e.toString());
    }
  }

  private void deliver(String queueId) {
    try (QueuedMessage message = queue.open(queueId)) {
      int count = message.envelope().recipients().size();
      for (int i = 0; i < count; i++) {
        boolean fresh = maildir.deliver(message, i);
        LOG.info("{}: {} to <{}>", queueId, fresh ? "delivered" : "already delivered",
            message.envelope().recipients().get(i));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return; // delivered and removed by an earlier run
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: delivery failed, will retry: {}", queueId, e.toString());
      return;
    }
    try {
      queue.remove(queueId);
    } catch (IOException e) {
      LOG.warn("{}: delivered but could not be removed from the queue: {}", queueId, e.toString());
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

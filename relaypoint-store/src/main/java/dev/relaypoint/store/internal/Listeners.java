package dev.relaypoint.store.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The onCommitted listeners; one that throws must not stop the others or the committer. */
public final class Listeners {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  public void add(Consumer<String> listener) {
    listeners.add(listener);
  }

  void fire(String queueId) {
    for (Consumer<String> l : listeners) {
      try {
        l.accept(queueId);
      } catch (RuntimeException e) {
        log.warn("onCommitted listener failed for {}", queueId, e);
      }
    }
  }
}

package dev.relaypoint.store;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** The durable spool of accepted messages, as seen by delivery agents. */
public interface MessageQueue {

  /** Starts a new message (no TRANSID). Its file is invisible to delivery until commit. */
  MessageWriter begin(Envelope envelope) throws IOException;

  /** Queue ids of committed entries waiting for delivery, oldest first. */
  List<String> list() throws IOException;

  QueuedMessage open(String queueId) throws IOException;

  /** Removes a fully delivered (or bounced) entry. */
  void remove(String queueId) throws IOException;

  /** Called (on a store thread) with the queue id after each commit became durable. */
  void onCommitted(Consumer<String> listener);
}

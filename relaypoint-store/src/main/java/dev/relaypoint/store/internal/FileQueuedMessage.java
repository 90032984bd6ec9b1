package dev.relaypoint.store.internal;

import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** A committed entry opened read-only; the data region is raw, for FileChannel.transferTo. */
record FileQueuedMessage(String queueId, Envelope envelope, long size, FileChannel channel,
    long dataStart) implements QueuedMessage {

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

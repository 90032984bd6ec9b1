package dev.relaypoint.store;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** A committed queue entry opened for delivery. Close it when done. */
public interface QueuedMessage extends AutoCloseable {

  String queueId();

  Envelope envelope();

  /** Canonical message size in octets. */
  long size();

  /** A read-only channel positioned nowhere in particular; the message occupies [dataStart, dataStart + size). */
  FileChannel channel();

  long dataStart();

  @Override
  void close() throws IOException;
}

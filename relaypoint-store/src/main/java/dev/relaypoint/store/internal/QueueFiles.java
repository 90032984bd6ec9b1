package dev.relaypoint.store.internal;

import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.QueueState;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads committed entries and their status files. Needs no committer: safe next to a running store. */
public final class QueueFiles {

  private final StoreLayout layout;

  public QueueFiles(StoreLayout layout) {
    this.layout = layout;
  }

  public StoreLayout layout() {
    return layout;
  }

  /** Queue ids in {@code state}, oldest first (queue ids sort by time). */
  public List<String> list(QueueState state) throws IOException {
    List<String> ids = new ArrayList<>();
    Path dir = layout.queue(state);
    if (!Files.isDirectory(dir)) {
      return ids;
    }
    for (Path p : SafeFiles.list(dir)) {
      String name = p.getFileName().toString();
      if (QueueIds.isValid(name)) {
        ids.add(name);
      }
    }
    return ids;
  }

  public Optional<QueueState> locate(String queueId) {
    return layout.locate(checkId(queueId));
  }

  /** Opens the entry wherever it is; NoSuchFileException when no state directory holds it. */
  public QueuedMessage open(String queueId) throws IOException {
    Path entry = layout.findEntry(checkId(queueId))
        .orElseThrow(() -> new NoSuchFileException("queue entry " + queueId));
    FileChannel ch = FileChannel.open(entry, StandardOpenOption.READ);
    try {
      EntryFile.Header h = EntryFile.readHeader(ch);
      EntryRecords.Trailer t = EntryFile.readTrailer(ch, h.dataStart());
      return new FileQueuedMessage(queueId, h.envelope(), t.size(), ch, h.dataStart());
    } catch (CorruptRecordException e) {
      ch.close();
      throw new IOException("queue entry " + queueId + " is corrupt: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The status file, if the entry was ever attempted; IOException if it is unreadable or invalid. */
  public Optional<DeliveryStatus> status(String queueId) throws IOException {
    Path p = layout.status(checkId(queueId));
    if (!SafeFiles.exists(p)) { // the usual case before a first attempt: no exception for it
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(StatusCodec.decode(ByteBuffer.wrap(bytes)));
    } catch (CorruptRecordException e) {
      throw new IOException("status of " + queueId + " is corrupt: " + e.getMessage(), e);
    }
  }

  static String checkId(String queueId) {
    if (!QueueIds.isValid(queueId)) {
      throw new IllegalArgumentException("not a queue id: " + queueId);
    }
    return queueId;
  }
}

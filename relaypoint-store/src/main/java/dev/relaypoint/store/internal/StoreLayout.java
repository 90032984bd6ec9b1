package dev.relaypoint.store.internal;

import dev.relaypoint.store.QueueState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where everything lives under the data directory; see package-info for what each place means. */
public record StoreLayout(Path root) {

  public Path queue() {
    return root.resolve("queue");
  }

  public Path tmp() {
    return queue().resolve("tmp");
  }

  /** Recycled empty files ({@link SparePool}); emptied at start-up. */
  public Path spare() {
    return queue().resolve("spare");
  }

  /**
   * Delivered entries kept as the completion record of their RFC 1845 transaction until the client
   * shows it saw the 250 ({@link QueuedCompletions}); no queue scanner looks here.
   */
  public Path done() {
    return queue().resolve("done");
  }

  public Path incoming() {
    return queue(QueueState.INCOMING);
  }

  /** The directory of committed entries in {@code state}. */
  public Path queue(QueueState state) {
    return queue().resolve(state.directoryName());
  }

  /** Delivery status files, one per entry that has been attempted: {@code queue/status/<qid>}. */
  public Path status() {
    return queue().resolve("status");
  }

  public Path status(String queueId) {
    return status().resolve(queueId);
  }

  /** Requests from {@code relaypoint queue} to a running queue manager, and its answers. */
  public Path control() {
    return queue().resolve("control");
  }

  /** The state directory that holds {@code queueId}, if any (a rename is atomic: at most one). */
  public Optional<QueueState> locate(String queueId) {
    for (QueueState s : QueueState.values()) {
      if (SafeFiles.exists(queue(s).resolve(queueId))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The entry's path in whichever state directory holds it. */
  public Optional<Path> findEntry(String queueId) {
    return locate(queueId).map(s -> queue(s).resolve(queueId));
  }

  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  public Path corrupt() {
    return root.resolve("corrupt");
  }

  /** Parents before children, so creating them in order needs no createDirectories magic. */
  public List<Path> directories() {
    List<Path> dirs = new ArrayList<>(List.of(root, queue(), tmp(), spare()));
    for (QueueState s : QueueState.values()) {
      dirs.add(queue(s));
    }
    dirs.addAll(List.of(done(), status(), control(), checkpoints(), corrupt()));
    return dirs;
  }

  public Path checkpointDir(String fileName) {
    return checkpoints().resolve(fileName);
  }

  public static Path message(Path checkpointDir) {
    return checkpointDir.resolve("message");
  }

  public static Path journal(Path checkpointDir) {
    return checkpointDir.resolve("journal");
  }

  public Path entry(String queueId) {
    return incoming().resolve(queueId);
  }

  /**
   * {@code incoming/.<qid>.part}: a message being received or committed but not yet visible. No
   * scanner sees it, since every one lists only names that are valid queue ids.
   */
  public Path part(String queueId) {
    return incoming().resolve("." + queueId + ".part");
  }

  /** The queue id of a {@link #part} file name, if {@code file} is one. */
  public static Optional<String> partQueueId(Path file) {
    String name = file.getFileName().toString();
    if (name.startsWith(".") && name.endsWith(".part")) {
      String id = name.substring(1, name.length() - ".part".length());
      if (QueueIds.isValid(id)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }
}

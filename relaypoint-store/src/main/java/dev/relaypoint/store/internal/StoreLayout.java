package dev.relaypoint.store.internal;

import java.nio.file.Path;
import java.util.List;

/** Where everything lives under the data directory; see package-info for what each place means. */
public record StoreLayout(Path root) {

  public Path queue() {
    return root.resolve("queue");
  }

  public Path tmp() {
    return queue().resolve("tmp");
  }

  public Path incoming() {
    return queue().resolve("incoming");
  }

  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  public Path corrupt() {
    return root.resolve("corrupt");
  }

  /** Parents before children, so creating them in order needs no createDirectories magic. */
  public List<Path> directories() {
    return List.of(root, queue(), tmp(), incoming(), checkpoints(), corrupt());
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
}

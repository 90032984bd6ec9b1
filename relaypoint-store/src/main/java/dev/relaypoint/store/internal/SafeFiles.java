package dev.relaypoint.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The crash-safe file utility shared by the queue and the checkpoint store (chasquid's safeio): a
 * file becomes visible under its final name only after its bytes are forced, and a rename counts only
 * after the directories are forced. All forces go through the {@link Committer}; all other durable
 * calls through {@link FileOps}.
 */
public final class SafeFiles {

  private final FileOps ops;
  private final Committer committer;

  public SafeFiles(FileOps ops, Committer committer) {
    this.ops = ops;
    this.committer = committer;
  }

  public FileOps ops() {
    return ops;
  }

  public Committer committer() {
    return committer;
  }

  /**
   * write temp + force + rename + force {@code dirs} (the target's directory first). The target
   * either does not exist or holds all of {@code content}, whatever the crash.
   */
  public CompletableFuture<Void> writeAtomically(Path target, ByteBuffer content, List<Path> dirs) {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    FileChannel ch;
    try {
      ops.delete(tmp);
      ch = ops.createFile(tmp);
      ops.write(ch, content);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return committer.forceFile(ch)
        .whenComplete((v, e) -> closeQuietly(ch))
        .thenCompose(v -> moveDurably(tmp, target, dirs, false));
  }

  /** rename + force {@code dirs}; {@code markRename} reports {@link CrashPoint#AFTER_RENAME}. */
  public CompletableFuture<Void> moveDurably(Path from, Path to, List<Path> dirs, boolean markRename) {
    return step(() -> {
      ops.move(from, to);
      if (markRename) {
        ops.reached(CrashPoint.AFTER_RENAME);
      }
    }).thenCompose(v -> committer.force(List.of(), dirs));
  }

  /** Runs a file operation as a future step: failures become exceptional completion. */
  public static CompletableFuture<Void> step(IoAction action) {
    try {
      action.run();
      return CompletableFuture.completedFuture(null);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Whether {@code p} exists, without an exception when it does not: JDK 17's {@code Files.exists}
   * throws and catches a NoSuchFileException inside, which showed up in the hot path's profile (the
   * queue looks an entry up in every state directory). Store paths are on the default file system.
   */
  public static boolean exists(Path p) {
    return p.toFile().exists();
  }

  /** As {@link #exists}: no exception when {@code p} does not exist. */
  public static boolean isDirectory(Path p) {
    return p.toFile().isDirectory();
  }

  /** Deletes a directory tree, files first. Fine if it does not exist. */
  public void deleteTree(Path dir) throws IOException {
    if (!exists(dir)) {
      return;
    }
    if (isDirectory(dir)) {
      for (Path p : list(dir)) {
        deleteTree(p);
      }
    }
    ops.delete(dir);
  }

  /** Bytes of all regular files under {@code dir}. */
  public static long sizeOfTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Directory entries, sorted by name (queue ids sort by time). */
  public static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  /**
   * Deletes {@code p} if it can; a failure is left to start-up, which deletes unfinished part files
   * and empties {@code queue/spare/}.
   */
  static void deleteQuietly(FileOps ops, Path p) {
    try {
      ops.delete(p);
    } catch (IOException ignored) {
      // see above
    }
  }

  public static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing never changes what is durable; the forces already decided that.
    }
  }

  /** Unwraps the CompletionException layer CompletableFuture adds. */
  public static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @FunctionalInterface
  public interface IoAction {
    void run() throws IOException;
  }
}

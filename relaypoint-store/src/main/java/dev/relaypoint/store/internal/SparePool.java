package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recycled files in {@code queue/spare/}: a removed queue file or journal is renamed there and emptied
 * instead of deleted, and the next file the store needs is one of them renamed into place, so steady
 * traffic allocates and frees no inodes. Why (package-info, "Recycled files"): on ext4 every create
 * scans the inode bitmap, and on a file system without a journal it skips each inode freed in the
 * last minutes by reading its inode block, so a queue that creates and deletes thousands of files a
 * second spent most of its CPU in the kernel's inode allocator. Thread-safe.
 */
final class SparePool {

  /** More than a few batches' worth; beyond it a removed file is deleted as before. */
  static final int CAPACITY = 1024;

  private final Path dir;
  private final FileOps ops;
  private final ConcurrentLinkedQueue<Path> ready = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Path> readyDirs = new ConcurrentLinkedQueue<>();
  /** Files ready plus files retired and not yet released: never above {@link #CAPACITY}. */
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong names = new AtomicLong();

  SparePool(Path dir, FileOps ops) {
    this.dir = dir;
    this.ops = ops;
  }

  /**
   * A new empty file at {@code target} (mode 0600), open for appending: a spare renamed there when
   * one is ready, else created. Durability is the caller's as for a created file: forcing
   * {@code target}'s directory makes the name durable either way.
   *
   * @throws FileAlreadyExistsException if {@code target} exists
   */
  FileChannel create(Path target) throws IOException {
    Path spare = ready.poll();
    if (spare == null) {
      return ops.createFile(target);
    }
    held.decrementAndGet();
    if (SafeFiles.exists(target)) { // rename(2) would replace it; createFile would refuse
      SafeFiles.deleteQuietly(ops, spare);
      throw new FileAlreadyExistsException(target.toString());
    }
    try {
      ops.move(spare, target);
    } catch (IOException e) {
      SafeFiles.deleteQuietly(ops, spare);
      return ops.createFile(target);
    }
    FileChannel ch = ops.openAppend(target);
    if (ch.size() != 0) { // released files are empty; this only guards against a bug elsewhere
      ops.truncate(ch, 0);
    }
    return ch;
  }

  /**
   * An empty directory at {@code target} (mode 0700): a spare one renamed there when one is ready,
   * else created. Fine if {@code target} exists (as {@link FileOps#createDirectory}).
   */
  void createDirectory(Path target) throws IOException {
    if (SafeFiles.exists(target)) {
      return;
    }
    Path spare = readyDirs.poll();
    if (spare != null) {
      held.decrementAndGet();
      try {
        ops.move(spare, target);
        return;
      } catch (IOException e) {
        SafeFiles.deleteQuietly(ops, spare);
      }
    }
    ops.createDirectory(target);
  }

  /**
   * Removes the empty directory {@code dir} by renaming it into the pool (deletes it when the pool is
   * full). It holds nothing, so it is ready at once.
   */
  void retireDirectory(Path dir) throws IOException {
    if (held.incrementAndGet() > CAPACITY) {
      held.decrementAndGet();
      ops.delete(dir);
      return;
    }
    Path spare = this.dir.resolve("d" + names.incrementAndGet());
    try {
      ops.move(dir, spare);
    } catch (IOException e) { // e.g. queue/ on another file system than checkpoints/
      held.decrementAndGet();
      ops.delete(dir);
      return;
    }
    readyDirs.add(spare);
  }

  /**
   * Step one of removing {@code file}: renames it into the pool, or deletes it when the pool is full.
   * The caller passes the result to {@link #release} once the file may be emptied: a queue entry only
   * after its directory was forced, so that a crash that undoes the rename brings the entry back
   * whole, exactly as an unforced delete would (package-info, "Recycled files").
   */
  Optional<Path> retire(Path file) throws IOException {
    if (held.incrementAndGet() > CAPACITY) {
      held.decrementAndGet();
      ops.delete(file);
      return Optional.empty();
    }
    Path spare = dir.resolve(Long.toString(names.incrementAndGet()));
    try {
      ops.move(file, spare);
      return Optional.of(spare);
    } catch (IOException e) { // e.g. queue/ on another file system than checkpoints/
      held.decrementAndGet();
      ops.delete(file);
      return Optional.empty();
    }
  }

  /** Step two: empties the retired file and makes it available. */
  void release(Optional<Path> retired) {
    if (retired.isEmpty()) {
      return;
    }
    Path spare = retired.get();
    try (FileChannel ch = ops.openAppend(spare)) {
      ops.truncate(ch, 0);
      ready.add(spare);
    } catch (IOException e) {
      held.decrementAndGet();
      SafeFiles.deleteQuietly(ops, spare);
    }
  }

  /** A retired file whose removal could not be forced stays out of the pool (and on disk). */
  void abandon(Optional<Path> retired) {
    retired.ifPresent(p -> held.decrementAndGet());
  }
}

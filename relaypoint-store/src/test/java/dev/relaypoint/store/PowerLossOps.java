package dev.relaypoint.store;

import dev.relaypoint.store.internal.FileOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Power loss, simulated in-process (SECURITY-TESTS.md §6.3): real file operations that also keep the
 * image a disk would hold after losing power, in which only forced state survives. A file's content
 * is what it held when its last force began; a directory's entries are what they were when its last
 * force began; nothing else reached the disk. Operations are numbered; from {@link #crashAtStep} on
 * every one fails, as if the machine had stopped there, and a force finishing after that point does
 * not count (nor succeed). {@link #materialize} writes the image into a fresh directory for a store
 * to recover from. Files and directories are tracked by inode, so renames are followed.
 */
final class PowerLossOps implements FileOps {

  private final FileOps real = FileOps.real();
  private final Path root;
  private final Object lock = new Object();
  private final Map<Long, Map<String, Long>> durableDirs = new HashMap<>();
  private final Set<Long> directories = new HashSet<>();
  private final Map<Long, byte[]> durableContent = new HashMap<>();
  private final Map<FileChannel, Long> inodes = new ConcurrentHashMap<>();
  private final AtomicInteger steps = new AtomicInteger();
  volatile int crashAtStep = Integer.MAX_VALUE;
  private volatile boolean crashed;

  PowerLossOps(Path root) {
    this.root = root;
  }

  /** Everything that exists now counts as durable (call it once the store is open), and steps restart. */
  void baseline() throws IOException {
    synchronized (lock) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          if (Files.isDirectory(p)) {
            durableDirs.put(inode(p), listing(p));
            directories.add(inode(p));
          } else {
            durableContent.put(inode(p), Files.readAllBytes(p));
          }
        }
      }
    }
    steps.set(0);
  }

  int steps() {
    return steps.get();
  }

  boolean crashed() {
    return crashed;
  }

  /** Which state a power loss leaves; file systems differ, and ext4 without a journal allows all. */
  enum Image {
    /** Only forced data and forced directory entries: everything else lost. */
    FORCED_ONLY,
    /** Every completed operation reached the disk (what SIGKILL leaves). */
    EVERYTHING,
    /** Every name operation reached the disk, but no unforced data (metadata written before data). */
    NAMES_WITHOUT_DATA
  }

  /** Writes what survived into {@code target} (an empty directory). Call after the power loss. */
  void materialize(Path target, Image image) throws IOException {
    synchronized (lock) {
      if (image == Image.FORCED_ONLY) {
        materialize(inode(root), target);
        return;
      }
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          Path copy = target.resolve(root.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(copy);
          } else {
            Files.write(copy, image == Image.EVERYTHING ? Files.readAllBytes(p)
                : durableContent.getOrDefault(inode(p), new byte[0]));
          }
        }
      }
    }
  }

  private void materialize(long dir, Path into) throws IOException {
    for (Map.Entry<String, Long> e : durableDirs.getOrDefault(dir, Map.of()).entrySet()) {
      Path p = into.resolve(e.getKey());
      if (directories.contains(e.getValue())) {
        Files.createDirectories(p);
        materialize(e.getValue(), p);
      } else {
        Files.write(p, durableContent.getOrDefault(e.getValue(), new byte[0]));
      }
    }
  }

  @Override
  public FileChannel createFile(Path file) throws IOException {
    step();
    return tracked(real.createFile(file), file);
  }

  @Override
  public FileChannel openAppend(Path file) throws IOException {
    step();
    return tracked(real.openAppend(file), file);
  }

  /** A force names a channel; its file is found again by inode, wherever renames took it. */
  private FileChannel tracked(FileChannel ch, Path file) throws IOException {
    inodes.put(ch, inode(file));
    return ch;
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    step();
    real.createDirectory(dir);
    synchronized (lock) {
      directories.add(inode(dir));
    }
  }

  @Override
  public void write(FileChannel ch, ByteBuffer data) throws IOException {
    step();
    real.write(ch, data);
  }

  @Override
  public void force(FileChannel ch) throws IOException {
    step();
    long ino = inodes.get(ch);
    byte[] content = contentOf(ino); // what fsync will make durable at least
    real.force(ch);
    synchronized (lock) {
      alive();
      durableContent.put(ino, content);
    }
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    step();
    Map<String, Long> entries = listing(dir);
    real.forceDirectory(dir);
    synchronized (lock) {
      alive();
      durableDirs.put(inode(dir), entries);
    }
  }

  @Override
  public void truncate(FileChannel ch, long size) throws IOException {
    step();
    real.truncate(ch, size);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    step();
    real.move(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    step();
    real.delete(path);
  }

  private void step() throws IOException {
    synchronized (lock) {
      alive();
      if (steps.incrementAndGet() >= crashAtStep) {
        crashed = true;
        alive();
      }
    }
  }

  private void alive() throws IOException {
    if (crashed) {
      throw new FaultyFileOps.SimulatedCrash("power loss at step " + crashAtStep);
    }
  }

  /**
   * The current content of the file with inode {@code ino}, found by its inode under the root; again
   * if another thread renamed something under the walk.
   */
  private byte[] contentOf(long ino) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> all = Files.walk(root)) {
        Path p = all.filter(Files::isRegularFile).filter(f -> inodeQuietly(f) == ino).findFirst()
            .orElseThrow(() -> new IOException("no file with inode " + ino));
        return Files.readAllBytes(p);
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 20) {
          throw e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
        }
      }
    }
  }

  private static Map<String, Long> listing(Path dir) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> s = Files.list(dir)) {
        Map<String, Long> out = new HashMap<>();
        for (Path p : (Iterable<Path>) s::iterator) {
          out.put(p.getFileName().toString(), inode(p));
        }
        return out;
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 20) {
          throw e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
        }
      }
    }
  }

  private static long inode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
  }

  private static long inodeQuietly(Path p) {
    try {
      return inode(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

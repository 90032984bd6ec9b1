package dev.relaypoint.store;

import dev.relaypoint.store.internal.CrashPoint;
import dev.relaypoint.store.internal.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real file operations with injectable faults: fail the Nth file force or every force of chosen
 * channels, slow file or directory forces (counting how many overlap), or
 * "crash" at a named point, after which every operation fails, as if the process had died, so
 * nothing the store does afterwards reaches the disk.
 */
final class FaultyFileOps implements FileOps {

  static final class SimulatedCrash extends IOException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String where) {
      super("simulated crash at " + where);
    }
  }

  private final FileOps real = FileOps.real();
  final AtomicInteger forces = new AtomicInteger();
  final AtomicInteger dirForces = new AtomicInteger();
  /** Every directory forced, in order. */
  final List<Path> forcedDirs = new CopyOnWriteArrayList<>();
  volatile CrashPoint crashAt;
  /** Fails the step at this point once, without a crash: an I/O error the process survives. */
  volatile CrashPoint failAt;
  volatile int failForce;
  /** Fails the directory force with this number (counted in {@link #dirForces}). */
  volatile int failDirForce;
  volatile long dirForceDelayMillis;
  volatile long forceDelayMillis;
  final Set<FileChannel> failingChannels = ConcurrentHashMap.newKeySet();
  final AtomicInteger maxForcesInFlight = new AtomicInteger();
  private final AtomicInteger forcesInFlight = new AtomicInteger();
  private volatile boolean crashed;

  boolean crashed() {
    return crashed;
  }

  @Override
  public FileChannel createFile(Path file) throws IOException {
    alive();
    return real.createFile(file);
  }

  @Override
  public FileChannel openAppend(Path file) throws IOException {
    alive();
    return real.openAppend(file);
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    alive();
    real.createDirectory(dir);
  }

  @Override
  public void write(FileChannel ch, ByteBuffer data) throws IOException {
    alive();
    real.write(ch, data);
  }

  @Override
  public void force(FileChannel ch) throws IOException {
    alive();
    if (forces.incrementAndGet() == failForce) {
      throw new IOException("injected failure of force #" + failForce);
    }
    int inFlight = forcesInFlight.incrementAndGet();
    try {
      maxForcesInFlight.accumulateAndGet(inFlight, Math::max);
      sleep(forceDelayMillis);
      if (failingChannels.contains(ch)) {
        throw new IOException("injected failure of a chosen channel's force");
      }
      real.force(ch);
    } finally {
      forcesInFlight.decrementAndGet();
    }
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    alive();
    forcedDirs.add(dir);
    if (dirForces.incrementAndGet() == failDirForce) {
      throw new IOException("injected failure of directory force #" + failDirForce);
    }
    sleep(dirForceDelayMillis);
    real.forceDirectory(dir);
  }

  private static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void truncate(FileChannel ch, long size) throws IOException {
    alive();
    real.truncate(ch, size);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    alive();
    real.move(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    alive();
    real.delete(path);
  }

  @Override
  public void reached(CrashPoint point) throws IOException {
    alive();
    if (point == failAt) {
      failAt = null;
      throw new IOException("injected failure at " + point);
    }
    if (point == crashAt) {
      crashed = true;
      throw new SimulatedCrash(point.name());
    }
  }

  private void alive() throws SimulatedCrash {
    if (crashed) {
      throw new SimulatedCrash("(already crashed)");
    }
  }
}

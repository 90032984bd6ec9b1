package dev.relaypoint.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on {@code <data-dir>/relaypoint.lock}, held by {@code serve} for its lifetime and
 * by {@code queue} commands that change the queue while no server runs. The kernel drops it when the
 * process dies (even by SIGKILL), so a stale lock never blocks a restart.
 */
public final class DataDirLock implements AutoCloseable {

  public static final String FILE = "relaypoint.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process (a running server) holds it. */
  public static Optional<DataDirLock> tryAcquire(Path dataDir) throws IOException {
    FileChannel ch = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(new DataDirLock(ch, l));
    } catch (OverlappingFileLockException e) {
      ch.close();
      return Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}

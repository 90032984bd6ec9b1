package dev.relaypoint.store;

import dev.relaypoint.store.CheckpointUsage.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Asks how much space the file system holding a directory has; a seam so tests need not fill a disk. */
@FunctionalInterface
public interface DiskProbe {

  DiskSpace probe(Path dir) throws IOException;

  /** {@link java.nio.file.FileStore#getUsableSpace()}: what this process may still write. */
  static DiskProbe real() {
    return dir -> {
      java.nio.file.FileStore fs = Files.getFileStore(dir);
      return new DiskSpace(fs.getUsableSpace(), fs.getTotalSpace());
    };
  }
}

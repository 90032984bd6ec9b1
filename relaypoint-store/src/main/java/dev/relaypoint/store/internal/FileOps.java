package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Every file-system call that matters for durability. The store never touches these operations any
 * other way, so a test implementation can fail the Nth force or "crash" at a named point. Reads are
 * not here: they cannot make anything less durable.
 */
public interface FileOps {

  /** Creates a new file, mode 0600, open for appending. Fails if it exists. */
  FileChannel createFile(Path file) throws IOException;

  /** Opens an existing file for appending. */
  FileChannel openAppend(Path file) throws IOException;

  /** Creates a directory (and missing parents) with mode 0700; fine if it exists. */
  void createDirectory(Path dir) throws IOException;

  /** Writes all of {@code data} at the channel's end (page cache only). */
  void write(FileChannel ch, ByteBuffer data) throws IOException;

  /** fsync(2): data and metadata. */
  void force(FileChannel ch) throws IOException;

  /** fsync(2) of a directory, making creates, renames and deletes in it durable. */
  void forceDirectory(Path dir) throws IOException;

  void truncate(FileChannel ch, long size) throws IOException;

  /** rename(2): atomic, replacing nothing the store cares about. */
  void move(Path from, Path to) throws IOException;

  /** Deletes a file or an empty directory if it exists. */
  void delete(Path path) throws IOException;

  /** Marks a step of a commit protocol; the real implementation does nothing. */
  default void reached(CrashPoint point) throws IOException {}

  static FileOps real() {
    return RealFileOps.INSTANCE;
  }
}

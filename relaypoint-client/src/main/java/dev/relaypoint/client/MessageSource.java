package dev.relaypoint.client;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the message comes from. It must be re-openable and give the same octets every time: the client
 * reads it once to count and hash it, and again for each attempt, skipping to the canonical offset a
 * restarting server asks for. It is streamed, never loaded whole. Line ends may be LF, CR or CRLF;
 * they are canonicalised to CRLF before counting and dot-stuffing.
 */
@FunctionalInterface
public interface MessageSource {

  /** Opens a new stream positioned at the first octet. The caller closes it. */
  InputStream open() throws IOException;

  /**
   * Opens a stream positioned {@code rawOffset} octets in. Only used when the message is already
   * canonical (raw offset = canonical offset); the default skips by reading.
   */
  default InputStream openAt(long rawOffset) throws IOException {
    InputStream in = open();
    in.skipNBytes(rawOffset);
    return in;
  }

  /** A short description for logs and errors. */
  default String description() {
    return "message";
  }

  static MessageSource of(Path path) {
    Objects.requireNonNull(path, "path");
    return new MessageSource() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(path);
      }

      @Override
      public InputStream openAt(long rawOffset) throws IOException {
        InputStream in = Files.newInputStream(path);
        in.skipNBytes(rawOffset); // a file channel stream skips by seeking
        return in;
      }

      @Override
      public String description() {
        return path.toString();
      }
    };
  }

  static MessageSource of(File file) {
    return of(file.toPath());
  }

  /** The array is used as is, not copied: do not change it during a send. */
  static MessageSource of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new MessageSource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes);
      }

      @Override
      public String description() {
        return bytes.length + "-octet array";
      }
    };
  }
}

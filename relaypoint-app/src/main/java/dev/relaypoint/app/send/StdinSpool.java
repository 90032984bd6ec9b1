package dev.relaypoint.app.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies standard input to a file in the state directory, because a resumable send must be able to
 * read the message again. The file is named after its SHA-256, so the same input piped in again after
 * a crash finds the same spool file and the same send state.
 */
final class StdinSpool {

  private StdinSpool() {}

  static Path spool(InputStream in, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "stdin", ".tmp");
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (OutputStream out = Files.newOutputStream(tmp)) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        digest.update(buf, 0, n);
      }
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Path target = dir.resolve(HexFormat.of().formatHex(digest.digest()) + ".eml");
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }
}

package dev.relaypoint.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Builds a record payload: big-endian numbers, int-length-prefixed UTF-8 strings (not writeUTF). */
final class PayloadWriter {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
  private final DataOutputStream out = new DataOutputStream(bytes);

  PayloadWriter putInt(int v) {
    return io(() -> out.writeInt(v));
  }

  PayloadWriter putLong(long v) {
    return io(() -> out.writeLong(v));
  }

  PayloadWriter putByte(int v) {
    return io(() -> out.writeByte(v));
  }

  PayloadWriter putString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return io(() -> {
      out.writeInt(b.length);
      out.write(b);
    });
  }

  /** Presence byte 0/1, then the string if present. */
  PayloadWriter putOptional(Optional<String> s) {
    putByte(s.isPresent() ? 1 : 0);
    s.ifPresent(this::putString);
    return this;
  }

  byte[] toByteArray() {
    return bytes.toByteArray();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private PayloadWriter io(IoAction a) {
    try {
      a.run();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: in-memory stream", e);
    }
  }
}

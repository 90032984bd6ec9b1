package dev.relaypoint.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Records every octet the client sent, to check wire invariants. */
final class RecordingInput extends InputStream {
  private final InputStream in;
  private final ByteArrayOutputStream copy;

  RecordingInput(InputStream in, ByteArrayOutputStream copy) {
    this.in = new java.io.BufferedInputStream(in);
    this.copy = copy;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      synchronized (copy) {
        copy.write(b);
      }
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      synchronized (copy) {
        copy.write(b, off, n);
      }
    }
    return n;
  }
}

package dev.relaypoint.smtp.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The sending side of DATA (RFC 5321 §4.5.2): doubles a dot at the start of each line and, on
 * {@link #finish()}, writes the terminator {@code .CRLF}. It expects canonical input (see
 * {@link CrlfNormalizingInputStream}) and refuses anything else: a CR not followed by LF, an LF not
 * preceded by CR, or data that does not end with CRLF. It therefore never emits a bare CR or LF, and
 * the only {@code CRLF.CRLF} it writes is the terminator.
 *
 * <p>It starts at a line start, which is where an RFC 1845 resume begins (a 355 offset for DATA is
 * always at a line start), so the same class encodes both a whole message and a resumed tail. Octet
 * counts are canonical: the stuffed dots are not counted, matching {@link DataDecoder#size()}.
 *
 * <p>Speed (issue 6): only line ends and line starts are looked at one by one; the rest of each line is
 * skipped by {@link NewlineSearch}, eight octets at a time, and written on in runs, not per octet.
 */
public final class DotStuffingOutputStream extends FilterOutputStream {

  private boolean lineStart = true;
  private boolean afterCr;
  private boolean finished;
  private long canonicalOctets;

  public DotStuffingOutputStream(OutputStream out) {
    super(out);
  }

  /** Canonical octets written so far (stuffing dots and terminator not counted). */
  public long canonicalOctets() {
    return canonicalOctets;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IllegalStateException("already finished");
    }
    ByteBuffer view = ByteBuffer.wrap(b); // for the word-at-a-time search
    int runStart = off;
    int end = off + len;
    int i = off;
    while (i < end) {
      if (afterCr) {
        if (b[i] != '\n') {
          throw new IOException("bare CR in message data at canonical octet " + (canonicalOctets + i - off));
        }
        afterCr = false;
        lineStart = true;
        i++;
        continue;
      }
      if (lineStart) {
        lineStart = false;
        if (b[i] == '.') {
          out.write(b, runStart, i - runStart);
          out.write('.');
          runStart = i; // the original dot goes out with the next run
        }
      }
      // Inside a line only CR and LF matter: skip to the next one eight octets at a time.
      i = NewlineSearch.in(view, i, end);
      if (i < end) {
        if (b[i] == '\n') {
          throw new IOException("bare LF in message data at canonical octet " + (canonicalOctets + i - off));
        }
        afterCr = true;
        i++;
      }
    }
    out.write(b, runStart, end - runStart);
    canonicalOctets += len;
  }

  /** Writes the terminator after checking that the data ended with CRLF; does not close the stream. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    if (!lineStart || afterCr) {
      throw new IOException("message data does not end with CRLF");
    }
    finished = true;
    out.write(new byte[] {'.', '\r', '\n'});
    out.flush();
  }

  /** Flushes without closing the underlying socket stream. */
  @Override
  public void close() throws IOException {
    flush();
  }
}

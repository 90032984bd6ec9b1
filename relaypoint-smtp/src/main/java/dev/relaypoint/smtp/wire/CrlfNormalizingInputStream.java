package dev.relaypoint.smtp.wire;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns any message text into the SMTP canonical form that RFC 1845 offsets count: every line end is
 * CRLF. A bare LF, a bare CR and CRLF each become one CRLF (so {@code "\r\r\n"} is two line ends), and
 * non-empty text that does not end with a line end gets a final CRLF, because DATA cannot carry a
 * message without one. Everything else, NUL and 8-bit octets included, passes unchanged.
 *
 * <p>The output is a pure function of the input, so reading the same source again gives the same
 * octets at the same offsets, which is what lets a client resume at a server's offset. This class
 * only normalises line ends; dot-stuffing comes after, in {@link DotStuffingOutputStream}.
 */
public final class CrlfNormalizingInputStream extends FilterInputStream {

  private final byte[] buf = new byte[8192];
  private int pos;
  private int limit;
  private boolean pendingCr;
  private boolean pendingLf;
  private boolean lastWasLf;
  private boolean inputEnded;
  private boolean finished;
  private long produced;
  private long changes;

  public CrlfNormalizingInputStream(InputStream in) {
    super(in);
  }

  /** Canonical octets returned so far. */
  public long produced() {
    return produced;
  }

  /** How many line ends were rewritten or added; 0 means the input was already canonical so far. */
  public long changes() {
    return changes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      if (pendingLf) {
        b[off + n++] = '\n';
        pendingLf = false;
        lastWasLf = true;
        continue;
      }
      if (pos == limit) {
        if (finished) {
          break;
        }
        if (!inputEnded) {
          if (n > 0) {
            break; // return what we have rather than block for more input
          }
          int r = in.read(buf, 0, buf.length);
          if (r > 0) {
            pos = 0;
            limit = r;
            continue;
          }
          if (r == 0) {
            continue;
          }
          inputEnded = true;
        }
        finished = true;
        if (pendingCr) {
          pendingCr = false; // a bare CR at the very end
          changes++;
          b[off + n++] = '\r';
          pendingLf = true;
        } else if (produced + n > 0 && !lastWasLf) {
          changes++; // text without a final line end
          b[off + n++] = '\r';
          pendingLf = true;
        }
        continue;
      }
      byte c = buf[pos++];
      if (pendingCr) {
        pendingCr = false;
        b[off + n++] = '\r';
        pendingLf = true;
        if (c != '\n') {
          changes++; // bare CR: c is handled after the LF we add
          pos--;
        }
        continue;
      }
      if (c == '\r') {
        pendingCr = true;
      } else if (c == '\n') {
        changes++;
        b[off + n++] = '\r';
        pendingLf = true;
      } else {
        b[off + n++] = c;
        lastWasLf = false;
      }
    }
    if (n == 0) {
      return -1;
    }
    produced += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public int available() {
    return (pendingLf ? 1 : 0) + (limit - pos);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}

package dev.relaypoint.smtp.wire;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * The strict DATA state machine (RFC 5321 §4.1.1.4, §4.5.2). It turns the wire form of message data
 * into canonical octets: CRLF line ends, the leading dot of a stuffed line removed, the terminating
 * {@code CRLF.CRLF} excluded. End-of-data is recognised only as a line holding exactly one dot and
 * ended by CRLF; a bare CR or LF anywhere is an error, never a line end (SMTP smuggling,
 * SECURITY-TESTS.md §1.3). NUL and 8-bit octets are ordinary data.
 *
 * <p>It keeps only a few bytes of state, so memory does not depend on message or line length. It counts
 * canonical octets in {@code long} and remembers the size at the last line end, which is what an
 * RFC 1845 checkpoint may promise. A line longer than {@code maxLineLength} (CRLF included, stuffed
 * dot not counted) does not stop decoding: it is flagged, so the caller can keep reading to the end and
 * reject the message then, with the session still in step.
 *
 * <p>Speed (issue 6): the state machine steps only at line ends and at the first octet of a line; the
 * octets inside a line are skipped by {@link NewlineSearch}, eight at a time. Canonical runs are handed
 * over as slices of the input (no copy), and only where a dot is removed or the input ends, so a socket
 * read of whole lines costs one sink call. The differential test in {@code DataDecoderDifferentialTest}
 * holds this to a plain byte-at-a-time reference on random input split at random points.
 */
public final class DataDecoder {

  /** Receives canonical message octets. The slice is only valid during the call. */
  @FunctionalInterface
  public interface Sink {
    void content(ByteBuf canonical);
  }

  /** What {@link #decode} stopped at. */
  public enum Status {
    /** All input consumed; the message continues. */
    NEED_MORE,
    /** End-of-data consumed; the reader index is just past it. */
    END,
    /** A CR not followed by LF, or an LF not preceded by CR. */
    BARE_NEWLINE
  }

  // States as ints, not an enum: the switch runs a few times per line, and an enum switch adds a lookup.
  private static final int LINE_START = 0;
  private static final int DOT = 1;
  private static final int DOT_CR = 2;
  private static final int IN_LINE = 3;
  private static final int CR = 4;

  private final int maxLineLength;
  private int state = LINE_START;
  private long size;
  private long lineAlignedSize;
  private long lineLength;
  private boolean lineTooLong;

  public DataDecoder(int maxLineLength) {
    this.maxLineLength = maxLineLength;
  }

  /** Starts after {@code offset} canonical octets already stored (an RFC 1845 resume at a line start). */
  public DataDecoder(int maxLineLength, long offset) {
    this(maxLineLength);
    this.size = offset;
    this.lineAlignedSize = offset;
  }

  /** Canonical octets decoded so far (including a resumed offset). */
  public long size() {
    return size;
  }

  /** Canonical size at the end of the last complete line. */
  public long lineAlignedSize() {
    return lineAlignedSize;
  }

  public boolean lineTooLong() {
    return lineTooLong;
  }

  /** Consumes {@code in} up to end-of-data or an error, passing canonical runs to {@code sink}. */
  public Status decode(ByteBuf in, Sink sink) {
    int i = in.readerIndex();
    final int end = in.writerIndex();
    if (i == end) {
      return Status.NEED_MORE;
    }
    // One NIO view per call, read with absolute indices: no per-octet bounds or reference-count checks.
    // A composite buffer is copied into one here (bounded by the read); the server never passes one.
    ByteBuffer bytes = in.nioBuffer(i, end - i);
    final int delta = bytes.position() - i; // buffer index = ByteBuf index + delta
    int runStart = i; // start of canonical bytes not yet given to the sink
    while (i < end) {
      switch (state) {
        case IN_LINE: {
          int stop = NewlineSearch.in(bytes, i + delta, end + delta) - delta;
          lineLength += stop - i;
          i = stop;
          if (i < end) {
            if (bytes.get(i + delta) == '\n') {
              return fail(in, i);
            }
            state = CR;
            lineLength++;
            i++;
          }
          break;
        }
        case CR:
          if (bytes.get(i + delta) != '\n') {
            return fail(in, i);
          }
          i++;
          if (++lineLength > maxLineLength) {
            lineTooLong = true;
          }
          // Everything up to here is complete lines; size counts only what was already flushed.
          lineAlignedSize = size + (i - runStart);
          lineLength = 0;
          state = LINE_START;
          break;
        case LINE_START: {
          byte b = bytes.get(i + delta);
          if (b == '.') {
            flush(in, runStart, i, sink);
            i++;
            runStart = i; // the dot is stuffing or the terminator: never content
            state = DOT;
          } else if (b == '\n') {
            return fail(in, i);
          } else {
            state = b == '\r' ? CR : IN_LINE;
            lineLength = 1;
            i++;
          }
          break;
        }
        case DOT: {
          byte b = bytes.get(i + delta);
          if (b == '\r') {
            state = DOT_CR; // either the terminator or a bare CR: nothing to hand over yet
            i++;
            runStart = i;
          } else if (b == '\n') {
            return fail(in, i);
          } else {
            state = IN_LINE; // a stuffed line: the dot was dropped, the rest is content
            lineLength = 1;
            i++;
          }
          break;
        }
        case DOT_CR:
          if (bytes.get(i + delta) != '\n') {
            return fail(in, i);
          }
          in.readerIndex(i + 1);
          state = LINE_START;
          return Status.END;
        default:
          throw new IllegalStateException("state " + state);
      }
    }
    flush(in, runStart, end, sink);
    in.readerIndex(end);
    return Status.NEED_MORE;
  }

  private void flush(ByteBuf in, int from, int to, Sink sink) {
    if (to > from) {
      size += to - from;
      sink.content(in.slice(from, to - from));
    }
  }

  private static Status fail(ByteBuf in, int at) {
    in.readerIndex(at + 1);
    return Status.BARE_NEWLINE;
  }
}

package dev.relaypoint.smtp.wire;

import io.netty.buffer.ByteBuf;

/**
 * Splits a command stream into lines, accepting only CRLF as a line end (RFC 5321 §2.3.8). A bare CR
 * or LF is never a line end: it is reported as {@link Event.BareNewline} and the caller must reply and
 * close, because the two ends of the connection may no longer agree on where commands start
 * (SMTP smuggling). A line longer than {@code maxLength} octets (CRLF included) is discarded up to its
 * CRLF and reported once as {@link Event.TooLong}, so the tail of an over-long line is never taken as
 * a new command. Memory use is bounded by {@code maxLength}: the caller keeps at most that much of an
 * unfinished line buffered.
 */
public final class LineFramer {

  /** What {@link #next} found. */
  public sealed interface Event {
    /** A complete line; {@code line} excludes the CRLF and is a slice valid until the buffer moves. */
    record Line(ByteBuf line) implements Event {}

    /** An over-long line ended; its content was dropped. */
    record TooLong() implements Event {}

    /** A CR not followed by LF, or an LF not preceded by CR. */
    record BareNewline() implements Event {}
  }

  private static final Event TOO_LONG = new Event.TooLong();
  private static final Event BARE = new Event.BareNewline();

  private final int maxLength;
  private boolean discarding;
  private boolean discardSawCr;

  public LineFramer(int maxLength) {
    if (maxLength < 3) {
      throw new IllegalArgumentException("maxLength must allow at least one octet and CRLF");
    }
    this.maxLength = maxLength;
  }

  /**
   * Returns the next event from {@code in}, advancing its reader index past what was consumed, or
   * null when more input is needed (everything that can be discarded has been).
   */
  public Event next(ByteBuf in) {
    if (discarding) {
      return discard(in);
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    int limit = Math.min(end, start + maxLength);
    for (int i = start; i < limit; i++) {
      byte b = in.getByte(i);
      if (b == '\n') {
        return BARE; // LF without the CR that would have been seen just before it
      }
      if (b == '\r') {
        if (i + 1 >= end) {
          return null; // need the next octet to know whether this CR ends the line
        }
        if (in.getByte(i + 1) != '\n') {
          return BARE;
        }
        if (i + 2 - start > maxLength) {
          in.readerIndex(i); // let the discarder consume this CRLF
          discarding = true;
          discardSawCr = false;
          return discard(in);
        }
        ByteBuf line = in.slice(start, i - start);
        in.readerIndex(i + 2);
        return new Event.Line(line);
      }
    }
    if (end - start >= maxLength) {
      in.readerIndex(limit);
      discarding = true;
      discardSawCr = false;
      return discard(in);
    }
    return null;
  }

  private Event discard(ByteBuf in) {
    while (in.isReadable()) {
      byte b = in.readByte();
      if (discardSawCr) {
        if (b != '\n') {
          return BARE;
        }
        discarding = false;
        return TOO_LONG;
      }
      if (b == '\r') {
        discardSawCr = true;
      } else if (b == '\n') {
        return BARE;
      }
    }
    return null;
  }
}

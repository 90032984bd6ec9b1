package dev.relaypoint.smtp.wire;

import dev.relaypoint.smtp.wire.DataDecoder.Status;
import java.io.ByteArrayOutputStream;

/**
 * The DATA rules written the obvious way, one octet per step, for {@link DataDecoderDifferentialTest}
 * to hold the word-at-a-time {@link DataDecoder} to. It hands over content when {@code DataDecoder}
 * promises to: before a line-start dot is dropped, and at the end of each input; what is pending when a
 * bare CR or LF is found is dropped (the message is discarded then).
 */
final class ReferenceDataDecoder {

  private enum State { LINE_START, DOT, DOT_CR, IN_LINE, CR }

  /** What one call did: its status, how many octets it consumed and the content it handed over. */
  record Step(Status status, int consumed, byte[] content) {}

  private final int maxLineLength;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private State state = State.LINE_START;
  private long size;
  private long lineAlignedSize;
  private long lineLength;
  private boolean lineTooLong;

  ReferenceDataDecoder(int maxLineLength) {
    this.maxLineLength = maxLineLength;
  }

  long size() {
    return size;
  }

  long lineAlignedSize() {
    return lineAlignedSize;
  }

  boolean lineTooLong() {
    return lineTooLong;
  }

  Step decode(byte[] in, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int p = from; p < to; p++) {
      byte c = in[p];
      boolean ok = switch (state) {
        case LINE_START -> lineStart(c, out);
        case DOT -> dot(c);
        case DOT_CR -> c == '\n';
        case IN_LINE -> inLine(c);
        case CR -> cr(c);
      };
      if (!ok) {
        pending.reset();
        return new Step(Status.BARE_NEWLINE, p + 1 - from, out.toByteArray());
      }
      if (state == State.DOT_CR && c == '\n') {
        state = State.LINE_START;
        return new Step(Status.END, p + 1 - from, out.toByteArray());
      }
    }
    handOver(out);
    return new Step(Status.NEED_MORE, to - from, out.toByteArray());
  }

  private boolean lineStart(byte c, ByteArrayOutputStream out) {
    if (c == '.') {
      handOver(out); // the dot is stuffing or the terminator, never content
      state = State.DOT;
      return true;
    }
    if (c == '\n') {
      return false;
    }
    pending.write(c);
    lineLength = 1;
    state = c == '\r' ? State.CR : State.IN_LINE;
    return true;
  }

  private boolean dot(byte c) {
    if (c == '\r') {
      state = State.DOT_CR;
      return true;
    }
    if (c == '\n') {
      return false;
    }
    pending.write(c);
    lineLength = 1;
    state = State.IN_LINE;
    return true;
  }

  private boolean inLine(byte c) {
    if (c == '\n') {
      return false;
    }
    pending.write(c);
    lineLength++;
    if (c == '\r') {
      state = State.CR;
    }
    return true;
  }

  private boolean cr(byte c) {
    if (c != '\n') {
      return false;
    }
    pending.write(c);
    if (++lineLength > maxLineLength) {
      lineTooLong = true;
    }
    lineAlignedSize = size + pending.size();
    lineLength = 0;
    state = State.LINE_START;
    return true;
  }

  private void handOver(ByteArrayOutputStream out) {
    size += pending.size();
    out.writeBytes(pending.toByteArray());
    pending.reset();
  }
}

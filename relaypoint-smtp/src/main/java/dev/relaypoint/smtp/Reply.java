package dev.relaypoint.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (empty when the reply has none,
 * as the greeting and the EHLO lines do) and one or more text lines.
 */
public record Reply(int code, String enhancedCode, List<String> lines) {

  public Reply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    Objects.requireNonNull(enhancedCode, "enhancedCode");
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line");
    }
    for (String line : lines) {
      if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("reply text must not contain CR or LF: " + line);
      }
    }
  }

  public static Reply of(int code, String enhancedCode, String text) {
    return new Reply(code, enhancedCode, List.of(text));
  }

  public boolean isPositive() {
    return code < 400;
  }

  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  public boolean isPermanent() {
    return code >= 500;
  }

  /** The text of all lines joined by a space, for logs and messages. */
  public String text() {
    return String.join(" ", lines);
  }

  /** The reply as it goes on the wire: each line {@code code[-| ][enhanced ]text CRLF}. */
  public byte[] toWire() {
    ByteBuf out = Unpooled.buffer(64);
    writeTo(out);
    return ByteBufUtil.getBytes(out);
  }

  /**
   * Appends the wire form ({@link #toWire()}) to {@code out}. A server writes every reply, so this
   * encodes straight into the (pooled, direct) buffer that goes to the socket: no String, no array.
   */
  public void writeTo(ByteBuf out) {
    for (int i = 0; i < lines.size(); i++) {
      out.writeByte('0' + code / 100).writeByte('0' + code / 10 % 10).writeByte('0' + code % 10);
      out.writeByte(i == lines.size() - 1 ? ' ' : '-');
      if (!enhancedCode.isEmpty()) {
        ByteBufUtil.writeUtf8(out, enhancedCode);
        out.writeByte(' ');
      }
      ByteBufUtil.writeUtf8(out, lines.get(i));
      out.writeByte('\r').writeByte('\n');
    }
  }

  @Override
  public String toString() {
    return code + (enhancedCode.isEmpty() ? "" : " " + enhancedCode) + " " + text();
  }
}

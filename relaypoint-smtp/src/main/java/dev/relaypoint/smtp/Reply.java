package dev.relaypoint.smtp;

import java.nio.charset.StandardCharsets;
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
    StringBuilder out = new StringBuilder(64);
    for (int i = 0; i < lines.size(); i++) {
      out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
      if (!enhancedCode.isEmpty()) {
        out.append(enhancedCode).append(' ');
      }
      out.append(lines.get(i)).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return code + (enhancedCode.isEmpty() ? "" : " " + enhancedCode) + " " + text();
  }
}

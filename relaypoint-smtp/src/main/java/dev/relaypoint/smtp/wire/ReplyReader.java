package dev.relaypoint.smtp.wire;

import dev.relaypoint.smtp.Reply;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one SMTP reply from a stream, strictly and with bounds (RFC 5321 §4.2):
 * {@code *(code "-" text CRLF) code [SP text] CRLF}, all lines with the same code. A bare CR or LF,
 * a line longer than {@code maxLineLength} octets (CRLF included), more than {@code maxLines} lines,
 * a code outside 200–599 or mixed codes are errors. RFC 5321 limits a reply line to 512 octets; the
 * default bound here is more tolerant because real servers exceed it in EHLO and banner text.
 *
 * <p>Reads byte by byte: wrap the socket stream in a buffer. Text is decoded as ISO-8859-1 so that no
 * octet is lost or replaced. An RFC 3463 enhanced status code at the start of the first line (for codes
 * 2xx, 4xx, 5xx) is split off into {@link Reply#enhancedCode()} and from each line that repeats it.
 */
public final class ReplyReader {

  public static final int DEFAULT_MAX_LINE_LENGTH = 4096;
  public static final int DEFAULT_MAX_LINES = 100;

  private final int maxLineLength;
  private final int maxLines;

  public ReplyReader() {
    this(DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LINES);
  }

  public ReplyReader(int maxLineLength, int maxLines) {
    if (maxLineLength < 6 || maxLines < 1) {
      throw new IllegalArgumentException("bounds too small");
    }
    this.maxLineLength = maxLineLength;
    this.maxLines = maxLines;
  }

  /**
   * Reads the next complete reply.
   *
   * @throws EOFException when the stream ends before the reply is complete
   * @throws MalformedReplyException when the reply breaks the grammar or a bound
   */
  public Reply read(InputStream in) throws IOException {
    List<String> texts = new ArrayList<>();
    int code = -1;
    while (true) {
      if (texts.size() == maxLines) {
        throw new MalformedReplyException("reply has more than " + maxLines + " lines");
      }
      String line = readLine(in);
      if (line.length() < 3 || !isDigits(line, 3)) {
        throw new MalformedReplyException("reply line does not start with a 3-digit code: " + shorten(line));
      }
      int lineCode = Integer.parseInt(line.substring(0, 3));
      if (lineCode < 200 || lineCode > 599) {
        throw new MalformedReplyException("reply code out of range: " + lineCode);
      }
      if (code >= 0 && lineCode != code) {
        throw new MalformedReplyException("multi-line reply mixes codes " + code + " and " + lineCode);
      }
      code = lineCode;
      boolean last;
      if (line.length() == 3) {
        last = true;
      } else if (line.charAt(3) == ' ') {
        last = true;
      } else if (line.charAt(3) == '-') {
        last = false;
      } else {
        throw new MalformedReplyException("bad separator after reply code: " + shorten(line));
      }
      texts.add(line.length() > 4 ? line.substring(4) : "");
      if (last) {
        return toReply(code, texts);
      }
    }
  }

  private String readLine(InputStream in) throws IOException {
    byte[] buf = new byte[Math.min(maxLineLength, 256)];
    int len = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of a reply");
      }
      if (b == '\n') {
        throw new MalformedReplyException("bare LF in reply");
      }
      if (b == '\r') {
        int next = in.read();
        if (next < 0) {
          throw new EOFException("connection closed in the middle of a reply");
        }
        if (next != '\n') {
          throw new MalformedReplyException("bare CR in reply");
        }
        return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (len + 2 >= maxLineLength) {
        throw new MalformedReplyException("reply line longer than " + maxLineLength + " octets");
      }
      if (len == buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.min(maxLineLength, buf.length * 2));
      }
      buf[len++] = (byte) b;
    }
  }

  private static Reply toReply(int code, List<String> texts) {
    String enhanced = "";
    int klass = code / 100;
    if (klass != 3) {
      String first = texts.get(0);
      int space = first.indexOf(' ');
      String candidate = space < 0 ? first : first.substring(0, space);
      if (isEnhancedCode(candidate, klass)) {
        enhanced = candidate;
      }
    }
    if (enhanced.isEmpty()) {
      return new Reply(code, "", texts);
    }
    List<String> stripped = new ArrayList<>(texts.size());
    for (String t : texts) {
      if (t.equals(enhanced)) {
        stripped.add("");
      } else if (t.startsWith(enhanced + " ")) {
        stripped.add(t.substring(enhanced.length() + 1));
      } else {
        stripped.add(t);
      }
    }
    return new Reply(code, enhanced, stripped);
  }

  static boolean isEnhancedCode(String s, int klass) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(Integer.toString(klass))) {
      return false;
    }
    return parts[1].length() >= 1 && parts[1].length() <= 3 && isDigits(parts[1], parts[1].length())
        && parts[2].length() >= 1 && parts[2].length() <= 3 && isDigits(parts[2], parts[2].length());
  }

  private static boolean isDigits(String s, int n) {
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

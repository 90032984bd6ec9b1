package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.Reply;
import java.util.Locale;
import java.util.OptionalLong;

/** The EHLO keywords the client acts on (RFC 5321 §4.1.1.1; RFC 2920, 1870, 6152, 1845, 3207). */
public record Capabilities(boolean esmtp, boolean pipelining, boolean checkpoint, boolean eightBitMime,
    boolean size, OptionalLong sizeLimit, boolean startTls) {

  public static final Capabilities HELO =
      new Capabilities(false, false, false, false, false, OptionalLong.empty(), false);

  /** Reads the keywords from lines 2.. of a 250 EHLO reply; the first line is the server's name. */
  public static Capabilities parse(Reply ehlo) {
    boolean pipelining = false;
    boolean checkpoint = false;
    boolean eightBit = false;
    boolean size = false;
    boolean startTls = false;
    OptionalLong limit = OptionalLong.empty();
    for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
      String[] words = line.trim().split(" +");
      switch (words[0].toUpperCase(Locale.ROOT)) {
        case "PIPELINING" -> pipelining = true;
        case "CHECKPOINT" -> checkpoint = true;
        case "8BITMIME" -> eightBit = true;
        case "STARTTLS" -> startTls = true;
        case "SIZE" -> {
          size = true;
          limit = parseSize(words);
        }
        default -> { }
      }
    }
    return new Capabilities(true, pipelining, checkpoint, eightBit, size, limit, startTls);
  }

  private static OptionalLong parseSize(String[] words) {
    if (words.length < 2) {
      return OptionalLong.empty();
    }
    try {
      long limit = Long.parseLong(words[1]);
      return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty(); // SIZE 0: no fixed limit
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}

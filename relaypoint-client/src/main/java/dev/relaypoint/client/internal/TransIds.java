package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.SmtpSyntaxException;
import dev.relaypoint.smtp.TransactionId;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes RFC 1845 transaction identifiers {@code <random@client-domain>}. Random, not derived from the
 * Message-ID (RFC 1845 §3 ¶7: one Message-ID can travel in several transactions) and not guessable,
 * because (EHLO name, TRANSID) is all a server has to tell the owner of a checkpoint (SECURITY-TESTS.md
 * §4 A1). 128 random bits when the domain leaves room in the 80-character limit, never fewer than 64.
 */
public final class TransIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TransIds() {}

  public static TransactionId generate(String domain) {
    int room = TransactionId.MAX_LENGTH - 3 - domain.length();
    int hexChars = Math.min(32, room);
    if (hexChars < 16) {
      throw new IllegalArgumentException("TRANSID domain too long: " + domain);
    }
    byte[] bits = new byte[(hexChars + 1) / 2];
    RANDOM.nextBytes(bits);
    String local = HexFormat.of().formatHex(bits).substring(0, hexChars);
    return parse("<" + local + "@" + domain + ">");
  }

  public static TransactionId parse(String text) {
    try {
      return TransactionId.parse(text);
    } catch (SmtpSyntaxException e) {
      throw new IllegalArgumentException("bad TRANSID " + text + ": " + e.getMessage(), e);
    }
  }
}

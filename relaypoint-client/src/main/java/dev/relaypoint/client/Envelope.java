package dev.relaypoint.client;

import dev.relaypoint.smtp.PathParser;
import dev.relaypoint.smtp.SmtpSyntaxException;
import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of one send: the reverse-path ({@code ""} for the null path {@code <>}) and at
 * least one recipient, as plain {@code local@domain} without angle brackets.
 *
 * <p>Validated on construction, before anything is sent: a value containing CR or LF (command
 * injection, compare Commons Email CVE-2017-9801) or any other control character is refused, and every
 * address must parse as an RFC 5321 mailbox.
 */
public record Envelope(String sender, List<String> recipients) {

  public Envelope {
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("an envelope needs at least one recipient");
    }
    if (!sender.isEmpty()) {
      check(sender, "sender");
    }
    for (String r : recipients) {
      check(r, "recipient");
    }
  }

  public static Envelope of(String sender, String... recipients) {
    return new Envelope(sender, List.of(recipients));
  }

  private static void check(String address, String what) {
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException(what + " must not contain CR or LF");
      }
      if (c < ' ' || c == 127) {
        throw new IllegalArgumentException(what + " must not contain control characters");
      }
    }
    try {
      PathParser.parseMailbox(address);
    } catch (SmtpSyntaxException e) {
      throw new IllegalArgumentException(what + " " + address + ": " + e.getMessage(), e);
    }
  }
}

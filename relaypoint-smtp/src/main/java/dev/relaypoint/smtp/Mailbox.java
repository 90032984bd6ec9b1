package dev.relaypoint.smtp;

import java.util.Locale;
import java.util.Objects;

/**
 * An RFC 5321 mailbox {@code local@domain}. The local part is kept as sent (quoted form included,
 * case preserved: only the receiving host may interpret it); the domain compares case-insensitively.
 */
public record Mailbox(String localPart, String domain) {

  public Mailbox {
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(domain, "domain");
  }

  /** The domain in lower case without a trailing dot, for routing decisions. */
  public String normalizedDomain() {
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /** True when the local part is a plain dot-atom (not quoted). */
  public boolean isDotAtom() {
    return !localPart.startsWith("\"");
  }

  @Override
  public String toString() {
    return localPart + "@" + domain;
  }
}

package dev.relaypoint.smtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed argument of {@code MAIL FROM:} or {@code RCPT TO:}: the path and the ESMTP parameters
 * (keywords upper-cased, in order; a keyword without a value maps to "").
 *
 * @param mailbox empty for the null reverse-path {@code <>}
 * @param postmaster true for the special {@code RCPT TO:<Postmaster>} without a domain
 */
public record MailArguments(Optional<Mailbox> mailbox, boolean postmaster, Map<String, String> parameters) {

  public MailArguments {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The path as text without angle brackets; "" for the null path. */
  public String pathText() {
    if (postmaster) {
      return "postmaster";
    }
    return mailbox.map(Mailbox::toString).orElse("");
  }
}

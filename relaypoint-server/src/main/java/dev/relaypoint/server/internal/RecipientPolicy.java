package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.smtp.MailArguments;
import dev.relaypoint.smtp.Mailbox;
import dev.relaypoint.smtp.Reply;
import java.util.Locale;
import java.util.Set;

/**
 * Which recipients this server accepts (never an open relay). The decision is made on the final
 * mailbox after source routes were dropped. Local domains: local parts that are routing tricks
 * (percent hack, bang paths, quoted addresses) or unsafe as Maildir folder names are refused, and
 * accepted local parts are lower-cased, as the Maildir folder name and the envelope carry them.
 * Other domains: only a client allowed to relay (today: from a trusted network; the security work
 * adds authenticated users through the {@code relayPermitted} argument) gets its recipient queued,
 * with the local part as sent (only the receiving host may interpret it); everyone else gets
 * 554 5.7.1. Address literals are never relayed to.
 */
final class RecipientPolicy {

  /** The decision for one RCPT. */
  sealed interface Verdict {
    record Accept(String address) implements Verdict {}

    record Reject(Reply reply) implements Verdict {}
  }

  private final ServerConfig config;

  RecipientPolicy(ServerConfig config) {
    this.config = config;
  }

  /** @param relayPermitted whether this session may relay to non-local domains */
  Verdict check(MailArguments rcpt, boolean relayPermitted) {
    String primary = config.localDomains().iterator().next();
    if (rcpt.postmaster()) {
      return new Verdict.Accept("postmaster@" + primary); // RFC 5321 §4.5.1: always accepted
    }
    Mailbox mailbox = rcpt.mailbox().orElseThrow();
    String domain = mailbox.normalizedDomain();
    if (!config.localDomains().contains(domain)) {
      if (!relayPermitted) {
        return new Verdict.Reject(Replies.RELAY_NOT_TRUSTED);
      }
      if (domain.startsWith("[") || domain.isEmpty()) {
        return new Verdict.Reject(Replies.RELAY_LITERAL);
      }
      return new Verdict.Accept(mailbox.localPart() + "@" + domain);
    }
    String local = mailbox.localPart();
    if (!mailbox.isDotAtom() || containsAny(local, "%!@/\\")) {
      return new Verdict.Reject(Replies.RELAY_DENIED);
    }
    String user = local.toLowerCase(Locale.ROOT);
    Set<String> allowed = config.localParts().get(domain);
    if (allowed != null && !allowed.contains(user) && !user.equals("postmaster")) {
      return new Verdict.Reject(Replies.UNKNOWN_USER);
    }
    return new Verdict.Accept(user + "@" + domain);
  }

  private static boolean containsAny(String s, String chars) {
    for (int i = 0; i < chars.length(); i++) {
      if (s.indexOf(chars.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}

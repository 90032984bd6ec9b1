package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.smtp.MailArguments;
import dev.relaypoint.smtp.Mailbox;
import dev.relaypoint.smtp.Reply;
import java.util.Locale;
import java.util.Set;

/**
 * Which recipients this server accepts. Local domains only (never an open relay): the decision is
 * made on the final mailbox after source routes were dropped, and local parts that are routing tricks
 * (percent hack, bang paths, quoted addresses) or unsafe as Maildir folder names are refused.
 * Accepted local parts are lower-cased, as the Maildir folder name and the envelope carry them.
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

  Verdict check(MailArguments rcpt) {
    String primary = config.localDomains().iterator().next();
    if (rcpt.postmaster()) {
      return new Verdict.Accept("postmaster@" + primary); // RFC 5321 §4.5.1: always accepted
    }
    Mailbox mailbox = rcpt.mailbox().orElseThrow();
    String domain = mailbox.normalizedDomain();
    if (!config.localDomains().contains(domain)) {
      return new Verdict.Reject(Replies.RELAY_DENIED);
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

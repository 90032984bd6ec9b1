package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.MailArguments;
import dev.relaypoint.smtp.PathParser;
import dev.relaypoint.smtp.SmtpSyntaxException;
import java.util.Optional;

/** RCPT TO (RFC 5321 §4.1.1.3). Which addresses are accepted is the {@link RecipientPolicy}'s call. */
final class RcptHandler implements CommandHandler {

  private final RecipientPolicy policy;

  RcptHandler(RecipientPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void handle(Session session, String argument, SessionOutput out) {
    Optional<Transaction> transaction = session.transaction();
    if (transaction.isEmpty()) {
      out.reply(Replies.NEED_MAIL);
      return;
    }
    Transaction t = transaction.get();
    if (t.restored().isPresent()) {
      out.reply(Replies.RCPT_AFTER_RESTART); // RFC 1845: recipients come back with the checkpoint
      return;
    }
    MailArguments rcpt;
    try {
      rcpt = PathParser.parseRcpt(argument);
    } catch (SmtpSyntaxException e) {
      out.reply(Replies.syntax(e.enhancedCode(), e.getMessage()));
      return;
    }
    if (!rcpt.parameters().isEmpty()) {
      out.reply(Replies.unknownParameter(rcpt.parameters().keySet().iterator().next()));
      return;
    }
    if (t.recipients().size() >= session.server().config().maxRecipients()) {
      out.reply(Replies.TOO_MANY_RECIPIENTS);
      return;
    }
    // Relay is permitted iff the client is in a trusted network or has authenticated (AUTH).
    boolean relayPermitted = session.trustedNetwork() || session.authIdentity().isPresent();
    RecipientPolicy.Verdict verdict = policy.check(rcpt, relayPermitted);
    if (verdict instanceof RecipientPolicy.Verdict.Accept accept) {
      t.addRecipient(accept.address());
      out.reply(Replies.RECIPIENT_OK);
    } else {
      out.reply(((RecipientPolicy.Verdict.Reject) verdict).reply());
    }
  }
}

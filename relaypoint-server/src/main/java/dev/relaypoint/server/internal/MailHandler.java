package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.smtp.MailArguments;
import dev.relaypoint.smtp.PathParser;
import dev.relaypoint.smtp.SmtpSyntaxException;
import dev.relaypoint.smtp.TransactionId;
import java.util.Map;
import java.util.Optional;

/** MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152) and TRANSID (RFC 1845). */
final class MailHandler implements CommandHandler {

  private static final int MAX_SIZE_DIGITS = 18; // keeps Long.parseLong from overflowing

  private final CheckpointResolver resolver = new CheckpointResolver();

  @Override
  public void handle(Session session, String argument, SessionOutput out) {
    if (session.heloName().isEmpty()) {
      out.reply(Replies.NEED_HELO);
      return;
    }
    if (session.transaction().isPresent()) {
      out.reply(Replies.NESTED_MAIL);
      return;
    }
    if (session.server().config().requireAuth() && session.authIdentity().isEmpty()) {
      out.reply(Replies.AUTH_REQUIRED);
      return;
    }
    MailArguments mail;
    try {
      mail = PathParser.parseMail(argument);
    } catch (SmtpSyntaxException e) {
      out.reply(Replies.syntax(e.enhancedCode(), e.getMessage()));
      return;
    }
    ServerConfig config = session.server().config();
    long declaredSize = -1;
    Optional<TransactionId> transactionId = Optional.empty();
    for (Map.Entry<String, String> param : mail.parameters().entrySet()) {
      String value = param.getValue();
      switch (param.getKey()) {
        case "SIZE":
          if (!session.esmtp() || value.isEmpty() || value.length() > MAX_SIZE_DIGITS || !value.chars().allMatch(Character::isDigit)) {
            out.reply(session.esmtp() ? Replies.syntax("5.5.4", "SIZE must be a number of octets")
                : Replies.unknownParameter("SIZE"));
            return;
          }
          declaredSize = Long.parseLong(value);
          if (declaredSize > config.maxMessageSize()) {
            out.reply(Replies.SIZE_EXCEEDED);
            return;
          }
          break;
        case "BODY":
          if (!session.esmtp() || !(value.equalsIgnoreCase("7BIT") || value.equalsIgnoreCase("8BITMIME"))) {
            out.reply(session.esmtp() ? Replies.syntax("5.5.4", "BODY must be 7BIT or 8BITMIME")
                : Replies.unknownParameter("BODY"));
            return;
          }
          break;
        case "TRANSID":
          if (!config.checkpointEnabled() || !session.esmtp()) {
            out.reply(Replies.TRANSID_NOT_OFFERED);
            return;
          }
          try {
            transactionId = Optional.of(TransactionId.parse(value));
          } catch (SmtpSyntaxException e) {
            out.reply(Replies.syntax(e.enhancedCode(), e.getMessage()));
            return;
          }
          break;
        default:
          out.reply(Replies.unknownParameter(param.getKey()));
          return;
      }
    }
    // RFC 1845 §3: a new MAIL tells us the client is done with its previous checkpointed transaction.
    session.forgetCheckpoint();
    String reversePath = mail.pathText();
    if (transactionId.isPresent()) {
      resolver.resolve(session, reversePath, mail.parameters(), transactionId.get(), declaredSize, out);
      return;
    }
    session.begin(new Transaction(reversePath, mail.parameters(), Optional.empty(),
        session.server().clock().instant(), Optional.empty(), declaredSize));
    out.reply(Replies.SENDER_OK);
  }
}

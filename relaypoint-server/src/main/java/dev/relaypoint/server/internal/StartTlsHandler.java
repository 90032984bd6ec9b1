package dev.relaypoint.server.internal;

/**
 * STARTTLS (RFC 3207). Refused inside a transaction, after AUTH and once TLS is up. Plaintext the
 * client pipelined behind the command is discarded, never read as if it had come through TLS
 * (CVE-2011-0411, SECURITY-TESTS.md §2.3); after the handshake the session starts over.
 */
final class StartTlsHandler implements CommandHandler {

  @Override
  public void handle(Session session, String argument, SessionOutput out) {
    if (!argument.isEmpty()) {
      out.reply(Replies.NO_ARGUMENTS_EXPECTED);
    } else if (session.tls()) {
      out.reply(Replies.TLS_ALREADY_ACTIVE);
    } else if (session.transaction().isPresent() || session.authIdentity().isPresent()) {
      out.reply(Replies.TLS_NOT_NOW);
    } else {
      out.startTls();
    }
  }
}

package dev.relaypoint.server.internal;

/** The verbs with no state of their own: RSET, NOOP, QUIT, VRFY, HELP. */
final class SimpleHandlers {

  private SimpleHandlers() {}

  /** RSET aborts the transaction; RFC 1845 §3: the client is done with its checkpointed transaction. */
  static final CommandHandler RSET = (session, argument, out) -> {
    if (!argument.isEmpty()) {
      out.reply(Replies.NO_ARGUMENTS_EXPECTED);
      return;
    }
    session.forgetCheckpoint();
    session.endTransaction();
    out.reply(Replies.RESET);
  };

  /** NOOP may carry a string, which is ignored (RFC 5321 §4.1.1.9). */
  static final CommandHandler NOOP = (session, argument, out) -> out.reply(Replies.OK);

  /** QUIT ends the session; RFC 1845 §3: stored state of this client's transaction is deleted. */
  static final CommandHandler QUIT = (session, argument, out) -> {
    if (!argument.isEmpty()) {
      out.reply(Replies.NO_ARGUMENTS_EXPECTED);
      return;
    }
    session.forgetCheckpointBeforeClosing();
    session.endTransaction();
    out.replyAndClose(Replies.bye(session.server().config().hostname()));
  };

  /** VRFY is answered without revealing whether a user exists (RFC 5321 §3.5.3: 252). */
  static final CommandHandler VRFY = (session, argument, out) -> {
    if (argument.isBlank()) {
      out.reply(Replies.syntax("5.5.4", "VRFY needs an argument"));
      return;
    }
    out.reply(Replies.VRFY);
  };

  static final CommandHandler HELP = (session, argument, out) -> out.reply(Replies.HELP);
}

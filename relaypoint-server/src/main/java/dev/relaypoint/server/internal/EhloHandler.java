package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.smtp.Reply;
import java.util.ArrayList;
import java.util.List;

/** EHLO and HELO (RFC 5321 §4.1.1.1). Both reset any transaction, like RSET. */
final class EhloHandler implements CommandHandler {

  private final boolean extended;

  EhloHandler(boolean extended) {
    this.extended = extended;
  }

  @Override
  public void handle(Session session, String argument, SessionOutput out) {
    String name = argument.trim();
    if (name.isEmpty() || name.indexOf(' ') >= 0 || !isPrintableAscii(name)) {
      out.reply(Replies.HELO_NEEDS_NAME);
      return;
    }
    session.forgetCheckpoint();
    session.endTransaction();
    session.greeted(name, extended);
    ServerConfig config = session.server().config();
    if (!extended) {
      out.reply(Reply.of(250, "", config.hostname()));
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add(config.hostname() + " greets " + name);
    lines.add("PIPELINING");
    lines.add("SIZE " + config.maxMessageSize());
    lines.add("8BITMIME");
    lines.add("ENHANCEDSTATUSCODES");
    if (config.checkpointEnabled() && !session.server().quotas().diskLow()) {
      lines.add("CHECKPOINT"); // below the free-space floor, clients send plain mail instead
    }
    if (config.tls().isPresent() && !session.tls()) {
      lines.add("STARTTLS");
    }
    if (config.authenticator().isPresent() && session.authIdentity().isEmpty()
        && (session.tls() || config.authWithoutTls())) {
      lines.add("AUTH PLAIN LOGIN");
    }
    out.reply(new Reply(250, "", lines));
  }

  private static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 127) {
        return false;
      }
    }
    return true;
  }
}

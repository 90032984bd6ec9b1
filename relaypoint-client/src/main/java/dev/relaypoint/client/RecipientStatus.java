package dev.relaypoint.client;

import dev.relaypoint.smtp.Reply;

/** What the server said to one recipient's RCPT (or, after a restart, in the interrupted attempt). */
public record RecipientStatus(String address, Reply reply) {

  public boolean accepted() {
    return reply.code() == 250 || reply.code() == 251;
  }
}

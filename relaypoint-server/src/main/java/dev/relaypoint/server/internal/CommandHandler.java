package dev.relaypoint.server.internal;

/** Handles one SMTP verb. Implementations are stateless; all state lives in the {@link Session}. */
@FunctionalInterface
interface CommandHandler {

  void handle(Session session, String argument, SessionOutput out);
}

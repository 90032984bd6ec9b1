package dev.relaypoint.server.internal;

/** The names of the handlers in a session's pipeline. */
final class PipelineNames {

  static final String TLS = "tls";
  static final String SMTP = "smtp";

  private PipelineNames() {}
}

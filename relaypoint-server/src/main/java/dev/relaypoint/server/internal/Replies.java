package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.Reply;
import java.util.List;

/** Every fixed reply the server sends, in one place, each with its RFC 3463 enhanced status code. */
final class Replies {

  static final Reply OK = Reply.of(250, "2.0.0", "Ok");
  static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender ok");
  static final Reply SENDER_AND_TRANSID_OK = Reply.of(250, "2.1.0", "Sender and TRANSID ok");
  static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient ok");
  static final Reply RESET = Reply.of(250, "2.0.0", "Reset state");
  static final Reply VRFY = Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
  static final Reply HELP = new Reply(214, "2.0.0", List.of(
      "Relaypoint: RFC 5321 SMTP with RFC 1845 CHECKPOINT",
      "Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA RSET NOOP QUIT VRFY HELP",
      "Resume an interrupted transfer with MAIL FROM:<...> TRANSID=<id@your.domain>"));
  static final Reply START_DATA = new Reply(354, "", List.of("End data with <CR><LF>.<CR><LF>"));

  static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
  static final Reply TLS_ALREADY_ACTIVE = Reply.of(503, "5.5.1", "TLS already active");
  static final Reply TLS_NOT_NOW =
      Reply.of(503, "5.5.1", "STARTTLS is not allowed during a transaction or after AUTH");

  static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
  static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
  static final Reply AUTH_NEEDS_TLS = Reply.of(538, "5.7.11", "Encryption required: issue STARTTLS first");
  static final Reply AUTH_UNKNOWN_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication type");
  static final Reply AUTH_MALFORMED = Reply.of(501, "5.5.2", "Cannot decode the AUTH response");
  static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");
  static final Reply AUTH_NOT_NOW = Reply.of(503, "5.5.1", "Already authenticated, or inside a transaction");
  static final Reply AUTH_THROTTLED =
      Reply.of(454, "4.7.0", "Too many failed authentications from your address; try again later");
  static final Reply AUTH_TOO_MANY_FAILURES =
      Reply.of(421, "4.7.0", "Too many failed authentications; closing connection");
  static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");

  static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.2", "Command not recognized");
  static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "Line too long");
  static final Reply BARE_NEWLINE_COMMAND =
      Reply.of(500, "5.5.2", "Bare CR or LF in command (RFC 5321 2.3.8); closing connection");
  static final Reply BARE_NEWLINE_DATA =
      Reply.of(500, "5.5.2", "Bare CR or LF in message data (RFC 5321 2.3.8); closing connection");
  static final Reply DATA_LINE_TOO_LONG =
      Reply.of(500, "5.5.2", "Message rejected: a line is longer than the limit");
  static final Reply NO_ARGUMENTS_EXPECTED = Reply.of(501, "5.5.4", "Syntax error: no arguments allowed");
  static final Reply HELO_NEEDS_NAME = Reply.of(501, "5.5.4", "Syntax: EHLO hostname");
  static final Reply NEED_HELO = Reply.of(503, "5.5.1", "Send EHLO or HELO first");
  static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Sender already specified");
  static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Need MAIL command first");
  static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "Need RCPT command first");
  static final Reply RCPT_AFTER_RESTART =
      Reply.of(503, "5.5.1", "Recipients were restored from the checkpoint; send DATA");
  static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
  static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
  static final Reply RELAY_DENIED = Reply.of(550, "5.7.1", "Relaying denied");
  static final Reply RELAY_NOT_TRUSTED = Reply.of(554, "5.7.1", "Relaying denied: this client may not relay");
  static final Reply RELAY_LITERAL = Reply.of(554, "5.7.1", "Relaying denied: no relaying to address literals");
  static final Reply UNKNOWN_USER = Reply.of(550, "5.1.1", "Recipient address rejected: user unknown");
  static final Reply NON_ASCII = Reply.of(553, "5.6.7", "Non-ASCII addresses need SMTPUTF8, which is not offered");
  static final Reply SIZE_EXCEEDED =
      Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
  static final Reply TRANSID_NOT_OFFERED =
      Reply.of(555, "5.5.4", "TRANSID not recognized: CHECKPOINT is not offered");
  static final Reply CHECKPOINT_STORAGE = Reply.of(452, "4.3.1",
      "Insufficient system storage for another checkpointed transaction; try again later");
  static final Reply CHECKPOINT_BUSY =
      Reply.of(451, "4.3.0", "This transaction is in use by another session; try again later");
  static final Reply EXTRA_DATA_AFTER_COMPLETION =
      Reply.of(554, "5.5.0", "Message was already complete; unexpected data after its last octet");
  static final Reply SYNC_ERROR = Reply.of(554, "5.5.0", "Error: SMTP protocol synchronization");
  static final Reply STORAGE_ERROR = Reply.of(451, "4.3.0", "Local error in processing; message not accepted");
  static final Reply TIMEOUT = Reply.of(421, "4.4.2", "Timeout exceeded; closing connection");
  static final Reply SHUTTING_DOWN = Reply.of(421, "4.3.2", "Service shutting down; closing connection");
  static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "Too many errors; closing connection");
  static final Reply TALKED_BEFORE_GREETING =
      Reply.of(554, "5.5.0", "Error: SMTP protocol synchronization (talked before the greeting)");
  static final Reply TOO_MANY_CONNECTIONS = Reply.of(421, "4.7.0", "Too many connections; try again later");

  private Replies() {}

  static Reply greeting(String hostname) {
    return new Reply(220, "", List.of(hostname + " ESMTP Relaypoint"));
  }

  static Reply bye(String hostname) {
    return Reply.of(221, "2.0.0", hostname + " closing connection");
  }

  static Reply syntax(String enhancedCode, String message) {
    return Reply.of(501, enhancedCode, "Syntax error: " + message);
  }

  static Reply unknownParameter(String keyword) {
    return Reply.of(555, "5.5.4", "Unsupported parameter: " + keyword);
  }

  static Reply restartOffset(long offset) {
    return new Reply(355, "", List.of(offset + " is the transaction offset"));
  }

  static Reply resumeData(long offset) {
    return new Reply(354, "", List.of("Send previously checkpointed message starting at octet " + offset));
  }

  static Reply queued(String queueId) {
    return Reply.of(250, "2.0.0", "Ok: queued as " + queueId);
  }
}

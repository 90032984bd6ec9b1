package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.Reply;
import io.netty.util.concurrent.EventExecutor;

/** What command handlers may do to the connection. All methods run on the session's event loop. */
interface SessionOutput {

  void reply(Reply reply);

  /** Counts an error that got no error reply (a failed resume); at the session's limit, 421 and close. */
  void countError();

  /** Takes back one counted error (a new checkpointed message was completed after all). */
  void forgiveError();

  /** Sends the reply, then closes the connection once it is written; input is ignored from now on. */
  void replyAndClose(Reply reply);

  /** Stops taking input (the next command waits) until {@link #resumeInput()}. */
  void pauseInput();

  void resumeInput();

  /** Runs {@code action} (which usually replies), then resumes input; nothing runs if the connection ended. */
  void resumeInputAfter(Runnable action);

  /** False once the connection is closed or closing. */
  boolean isOpen();

  /**
   * Discards any input buffered behind STARTTLS, answers 220 in plaintext and starts the TLS handshake;
   * the session is replaced by {@link Session#afterTls()} once it succeeds.
   */
  void startTls();

  /**
   * Hands the next line to {@code consumer} instead of the command table (an AUTH exchange). Such
   * lines may be up to {@link CommandTable#RESPONSE_LINE} octets (RFC 4954 §4).
   */
  void expectLine(java.util.function.Consumer<String> consumer);

  /** Switches input to message data, handled by {@code receiver} until it finishes. */
  void startData(DataReceiver receiver);

  /** True if the client has sent more bytes that are already buffered (pipelined after this command). */
  boolean hasBufferedInput();

  /** The event loop that owns the session; continuations from store threads hop back to it. */
  EventExecutor executor();
}

package dev.relaypoint.server.internal;

import dev.relaypoint.store.CheckpointLease;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one SMTP connection: who the client is, the open transaction, and the RFC 1845
 * checkpoint this session owns. Confined to the connection's event loop.
 *
 * <p>Ownership of a checkpoint key ({@link CheckpointLease}) lasts from the MAIL that names its TRANSID
 * until the client ends it. RFC 1845 §3 says stored state is deleted only when the client is known to be
 * done with it: RSET, a new MAIL, or QUIT ({@link #forgetCheckpoint()}). A broken connection only
 * releases the lease ({@link #releaseCheckpoint()}); the state stays for the client to resume.
 */
final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final ServerContext server;
  private final String clientAddress;
  private final boolean tls;
  private final boolean trustedNetwork;
  private Optional<String> authIdentity = Optional.empty();
  private int authFailures;
  private Optional<String> heloName = Optional.empty();
  private boolean esmtp;
  private Optional<Transaction> transaction = Optional.empty();
  private Optional<CheckpointLease> lease = Optional.empty();

  Session(ServerContext server, String clientAddress, boolean tls) {
    this.server = server;
    this.clientAddress = clientAddress;
    this.tls = tls;
    // Once per connection, not per RCPT: the address does not change and the check parses it.
    this.trustedNetwork = server.config().isTrusted(clientAddress);
  }

  /**
   * The session after a STARTTLS handshake: RFC 3207 §4.2, nothing learnt before TLS survives (EHLO
   * name, transaction, AUTH). An owned checkpoint is released, not deleted: the client did not say it
   * was done with it.
   */
  Session afterTls() {
    releaseCheckpoint();
    return new Session(server, clientAddress, true);
  }

  /** Whether the connection is encrypted (STARTTLS done, or an implicit-TLS listener). */
  boolean tls() {
    return tls;
  }

  /** The SASL identity once AUTH succeeded (RFC 4954). */
  Optional<String> authIdentity() {
    return authIdentity;
  }

  /** Counts a failed AUTH on this connection; returns the count so far. */
  int authFailed() {
    return ++authFailures;
  }

  void authenticated(String identity) {
    this.authIdentity = Optional.of(identity);
  }

  ServerContext server() {
    return server;
  }

  String clientAddress() {
    return clientAddress;
  }

  /** Whether the client's address is in {@code trusted-networks} (it may relay). */
  boolean trustedNetwork() {
    return trustedNetwork;
  }

  Optional<String> heloName() {
    return heloName;
  }

  boolean esmtp() {
    return esmtp;
  }

  void greeted(String name, boolean extended) {
    this.heloName = Optional.of(name);
    this.esmtp = extended;
  }

  Optional<Transaction> transaction() {
    return transaction;
  }

  void begin(Transaction t) {
    this.transaction = Optional.of(t);
  }

  /** Ends the transaction in memory; any owned checkpoint is untouched. */
  void endTransaction() {
    this.transaction = Optional.empty();
  }

  Optional<CheckpointLease> lease() {
    return lease;
  }

  void own(CheckpointLease newLease) {
    releaseCheckpoint();
    this.lease = Optional.of(newLease);
  }

  /**
   * The client is done with its checkpointed transaction: delete the stored state and release it.
   * That happens in the background (the delete waits for the store to finish publishing the
   * message), so the command that proved the client saw its 250 (a new MAIL, RSET) is not held up; the lease is held until the state is gone, so nobody else can touch the key.
   */
  void forgetCheckpoint() {
    lease.ifPresent(l -> server.pending().runInBackground(() -> delete(l)));
    lease = Optional.empty();
  }

  /**
   * The same, done before the reply: for QUIT, whose 221 tells the client that everything of its
   * session is settled (its message is in the queue); the session ends, so no command waits.
   */
  void forgetCheckpointBeforeClosing() {
    lease.ifPresent(Session::delete);
    lease = Optional.empty();
  }

  private static void delete(CheckpointLease l) {
    try {
      l.delete();
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete checkpoint {}: {}", l.key().transactionId(), e.toString());
    } finally {
      l.close();
    }
  }

  /** The connection ends without the client saying it is done: keep the stored state. */
  void releaseCheckpoint() {
    lease.ifPresent(CheckpointLease::close);
    lease = Optional.empty();
  }
}

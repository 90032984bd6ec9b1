package dev.relaypoint.client.internal;

import dev.relaypoint.client.TlsMode;
import dev.relaypoint.smtp.Reply;
import java.io.IOException;
import javax.net.ssl.SSLSession;

/**
 * The STARTTLS step of an attempt (RFC 3207), between the first EHLO and MAIL. On success the session
 * starts over inside TLS: EHLO again with the same name (half of the RFC 1845 key), and only the
 * capabilities of that second EHLO count (CHECKPOINT, SIZE, PIPELINING), since an attacker could have
 * written the first ones.
 */
final class StartTls {

  /** Says EHLO (or HELO) and returns what the server offers. */
  @FunctionalInterface
  interface Hello {
    Capabilities run() throws IOException;
  }

  private final SmtpConnection conn;
  private final SendContext ctx;

  StartTls(SmtpConnection conn, SendContext ctx) {
    this.conn = conn;
    this.ctx = ctx;
  }

  /**
   * Upgrades the session if the policy asks for it and returns the capabilities to go on with.
   *
   * @param plaintext true when an opportunistic handshake already failed at this address in this attempt
   * @throws TlsRequiredException TLS is required and did not happen (nothing was sent after EHLO)
   * @throws TlsHandshakeException an opportunistic handshake failed; the connection is unusable
   */
  Capabilities negotiate(Capabilities caps, String peerName, boolean plaintext, Hello hello) throws IOException {
    TlsMode mode = ctx.tls.policy().mode();
    boolean required = mode == TlsMode.REQUIRED;
    if (mode == TlsMode.NONE || plaintext && !required) {
      return caps;
    }
    if (!caps.startTls()) {
      return skip(required, "the server does not offer STARTTLS", caps);
    }
    conn.command("STARTTLS");
    conn.flush();
    Reply ready = conn.read(ctx.timeouts.command());
    if (ready.code() != 220) {
      return skip(required, "STARTTLS answered " + ready, caps); // RFC 3207 §4: the session goes on as it was
    }
    SSLSession session;
    try {
      session = conn.startTls(ctx.tls, peerName, ctx.timeouts.command());
    } catch (IOException e) {
      String why = "TLS handshake with " + peerName + " failed: " + e.getMessage();
      if (required) {
        throw new TlsRequiredException(why, e);
      }
      throw new TlsHandshakeException(why, e);
    }
    ctx.listener.tlsStarted(conn.remote(), session.getProtocol(), session.getCipherSuite());
    return hello.run();
  }

  private Capabilities skip(boolean required, String why, Capabilities caps) throws IOException {
    if (required) {
      Attempt.quit(conn, ctx.timeouts);
      throw new TlsRequiredException(why, null);
    }
    ctx.listener.tlsSkipped(conn.remote(), why);
    return caps;
  }
}

package dev.relaypoint.client.internal;

import dev.relaypoint.client.Timeouts;
import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.wire.DotStuffingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction attempt on one open connection: greeting, EHLO, STARTTLS as the policy says, MAIL, then either RCPT and DATA
 * from octet 0 (reply 250) or DATA from the server's offset (reply 355), the message, the final reply,
 * QUIT. Anything that stops it is thrown; {@link #transactionStarted()} tells the caller whether the
 * failure happened before MAIL was accepted (then another address may be tried at once) or after.
 */
final class Attempt {

  private final SmtpConnection conn;
  private final SendContext ctx;
  private final String peerName;
  private final boolean plaintext;
  private boolean transactionStarted;
  private boolean checkpointUsed;

  /**
   * @param peerName the server's name for SNI and the certificate check
   * @param plaintext skip opportunistic STARTTLS (its handshake already failed here in this attempt)
   */
  Attempt(SmtpConnection conn, SendContext ctx, String peerName, boolean plaintext) {
    this.conn = conn;
    this.ctx = ctx;
    this.peerName = peerName;
    this.plaintext = plaintext;
  }

  boolean transactionStarted() {
    return transactionStarted;
  }

  boolean checkpointUsed() {
    return checkpointUsed;
  }

  /** Runs the attempt; returns the reply to the final dot (a 250). */
  Reply run() throws IOException {
    expect("greeting", conn.read(ctx.timeouts.greeting()), 220);
    Capabilities caps = new StartTls(conn, ctx).negotiate(hello(), peerName, plaintext, this::hello);
    if (caps.sizeLimit().isPresent() && caps.sizeLimit().getAsLong() < ctx.message.size()) {
      throw new UnexpectedReplyException("SIZE", Reply.of(552, "5.3.4",
          "message of " + ctx.message.size() + " octets exceeds the server's SIZE limit of "
              + caps.sizeLimit().getAsLong()));
    }
    checkpointUsed = caps.checkpoint() && !ctx.distrusted.contains(conn.remote());
    long offset = mail(caps);
    transactionStarted = true;
    // Opening before DATA means a bad offset fails the attempt while the session can still be left cleanly.
    try (InputStream message = ctx.message.openAt(offset)) {
      if (offset > 0) {
        ctx.octetsSkipped += offset;
        ctx.listener.restarting(offset, ctx.message.size());
      }
      conn.command("DATA");
      conn.flush();
      expect("DATA", conn.read(ctx.timeouts.dataInit()), 354);
      sendData(message, offset);
    }
    Reply done = conn.read(ctx.timeouts.finalReply());
    expect("end of data", done, 250);
    quit(conn, ctx.timeouts);
    return done;
  }

  private Capabilities hello() throws IOException {
    conn.command("EHLO " + ctx.ehloName);
    conn.flush();
    Reply ehlo = conn.read(ctx.timeouts.command());
    if (ehlo.code() == 250) {
      return Capabilities.parse(ehlo);
    }
    if (!ehlo.isPermanent()) {
      throw new UnexpectedReplyException("EHLO", ehlo);
    }
    conn.command("HELO " + ctx.ehloName); // RFC 5321 §3.2: fall back for servers without ESMTP
    conn.flush();
    expect("HELO", conn.read(ctx.timeouts.command()), 250);
    return Capabilities.HELO;
  }

  /** Sends MAIL (and RCPTs unless restarted); returns the canonical offset to send from. */
  private long mail(Capabilities caps) throws IOException {
    StringBuilder mail = new StringBuilder("MAIL FROM:<").append(ctx.envelope.sender()).append('>');
    if (caps.size()) {
      mail.append(" SIZE=").append(ctx.message.size());
    }
    if (ctx.message.eightBit() && caps.eightBitMime()) {
      mail.append(" BODY=8BITMIME");
    }
    if (checkpointUsed) {
      mail.append(" TRANSID=").append(ctx.transactionId.value());
    }
    conn.command(mail.toString());
    List<String> recipients = ctx.envelope.recipients();
    // RFC 2920 pipelining, but never past a MAIL that carries TRANSID: it may be answered 355.
    boolean pipelineRcpts = caps.pipelining() && !checkpointUsed;
    if (pipelineRcpts) {
      for (String r : recipients) {
        conn.command("RCPT TO:<" + r + ">");
      }
    }
    conn.flush();
    Reply mailReply = conn.read(ctx.timeouts.command());
    if (mailReply.code() == 355) {
      if (!checkpointUsed) {
        throw new ProtocolViolationException("355 to a MAIL without TRANSID");
      }
      return restartOffset(mailReply);
    }
    if (mailReply.code() != 250) {
      if (pipelineRcpts) {
        drain(recipients.size());
      }
      throw new UnexpectedReplyException("MAIL", mailReply);
    }
    Map<String, Reply> replies = new LinkedHashMap<>();
    if (pipelineRcpts) {
      for (String r : recipients) {
        replies.put(r, conn.read(ctx.timeouts.command()));
      }
    } else {
      for (String r : recipients) {
        conn.command("RCPT TO:<" + r + ">");
        conn.flush();
        replies.put(r, conn.read(ctx.timeouts.command()));
      }
    }
    ctx.rcptReplies.clear();
    ctx.rcptReplies.putAll(replies);
    if (replies.values().stream().noneMatch(r -> r.code() == 250 || r.code() == 251)) {
      quit(conn, ctx.timeouts);
      Reply worst = replies.values().stream().filter(r -> !r.isPermanent()).findFirst()
          .orElse(replies.values().iterator().next());
      throw new UnexpectedReplyException("RCPT", worst);
    }
    ctx.recorder.record(replies);
    return 0;
  }

  /** RFC 1845 §3: the offset is the first thing on the first line, digits then whitespace or end. */
  private long restartOffset(Reply reply) throws ProtocolViolationException {
    String first = reply.lines().get(0);
    int end = 0;
    while (end < first.length() && Character.isDigit(first.charAt(end)) && first.charAt(end) < 128) {
      end++;
    }
    if (end == 0 || end > 18 || end < first.length() && first.charAt(end) != ' ' && first.charAt(end) != '\t') {
      throw new ProtocolViolationException("355 without a valid octet offset: " + reply);
    }
    long offset = Long.parseLong(first.substring(0, end));
    if (offset > ctx.message.size()) {
      throw new ProtocolViolationException("355 offset " + offset + " beyond the message size " + ctx.message.size());
    }
    if (ctx.rcptReplies.isEmpty()) {
      // Resumed without our own record of the RCPT replies: the server restored the ones it accepted.
      for (String r : ctx.envelope.recipients()) {
        ctx.rcptReplies.put(r, Reply.of(250, "", "accepted in an earlier attempt (restored by 355)"));
      }
    }
    return offset;
  }

  private void sendData(InputStream message, long offset) throws IOException {
    DotStuffingOutputStream data = new DotStuffingOutputStream(conn.dataOutput(ctx.timeouts.dataBlock()));
    byte[] buf = new byte[65536];
    long sent = offset;
    for (int n; (n = message.read(buf)) >= 0; ) {
      data.write(buf, 0, n);
      sent += n;
      ctx.octetsSent += n;
      ctx.listener.progress(sent, ctx.message.size());
    }
    if (sent != ctx.message.size()) {
      throw new IOException(ctx.message.source().description() + " changed since it was scanned");
    }
    data.finish();
  }

  private void drain(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      conn.read(ctx.timeouts.command());
    }
  }

  static void quit(SmtpConnection conn, Timeouts timeouts) {
    try {
      conn.command("QUIT"); // also tells a CHECKPOINT server it may drop the completed transaction
      conn.flush();
      conn.read(timeouts.command().compareTo(java.time.Duration.ofSeconds(10)) < 0
          ? timeouts.command() : java.time.Duration.ofSeconds(10));
    } catch (IOException e) {
      // the transaction is decided; a lost QUIT reply changes nothing
    }
  }

  private static void expect(String step, Reply reply, int code) throws UnexpectedReplyException {
    if (reply.code() != code) {
      throw new UnexpectedReplyException(step, reply);
    }
  }
}

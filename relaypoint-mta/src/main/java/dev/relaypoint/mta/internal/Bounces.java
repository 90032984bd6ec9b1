package dev.relaypoint.mta.internal;

import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.MessageQueue;
import dev.relaypoint.store.MessageWriter;
import dev.relaypoint.store.QueuedMessage;
import dev.relaypoint.store.RecipientState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds RFC 3464 delivery status notifications ({@code multipart/report; report-type=delivery-status})
 * by hand, CRLF throughout, and queues them like any message with the null reverse-path, so a bounce
 * never bounces. The report carries the original's header section ({@code text/rfc822-headers}, capped
 * at 64 KiB), never its body: a relay that bounces a 1 GiB message must not send 1 GiB back.
 */
public final class Bounces {

  static final int MAX_HEADERS = 64 * 1024;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
  private static final Pattern ENHANCED = Pattern.compile("^[245]\\d\\d ([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

  private final MessageQueue queue;
  private final String hostname;

  public Bounces(MessageQueue queue, String hostname) {
    this.queue = queue;
    this.hostname = hostname;
  }

  /** Queues the DSN to {@code sender} for the {@code failed} recipients; returns its queue id. */
  public String send(QueuedMessage original, String sender, List<RecipientState> failed, Instant now)
      throws IOException {
    byte[] dsn = build(original, sender, failed, now);
    Envelope e = new Envelope("", Map.of(), List.of(sender), hostname, "127.0.0.1", "LOCAL", now,
        Optional.empty());
    MessageWriter w = queue.begin(e);
    try {
      w.write(ByteBuffer.wrap(dsn), dsn.length);
      w.commit().toCompletableFuture().get();
      return w.queueId();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while queueing a bounce", ex);
    } catch (ExecutionException ex) {
      throw new IOException("cannot queue the bounce: " + ex.getCause().getMessage(), ex.getCause());
    }
  }

  byte[] build(QueuedMessage original, String sender, List<RecipientState> failed, Instant now)
      throws IOException {
    String boundary = original.queueId() + "/" + hostname;
    StringBuilder m = new StringBuilder(4096);
    line(m, "From: Mail Delivery System <MAILER-DAEMON@" + hostname + ">");
    line(m, "To: <" + sender + ">");
    line(m, "Subject: Undelivered Mail Returned to Sender");
    line(m, "Date: " + DATE.format(now.atOffset(ZoneOffset.UTC)));
    line(m, "Message-ID: <" + original.queueId() + "." + now.toEpochMilli() + "@" + hostname + ">");
    line(m, "Auto-Submitted: auto-replied");
    line(m, "MIME-Version: 1.0");
    line(m, "Content-Type: multipart/report; report-type=delivery-status;");
    line(m, "\tboundary=\"" + boundary + "\"");
    line(m, "");
    line(m, "This is a MIME-encapsulated message.");
    line(m, "");
    line(m, "--" + boundary);
    line(m, "Content-Type: text/plain; charset=utf-8");
    line(m, "Content-Description: Notification");
    line(m, "");
    line(m, "This is the mail system at host " + hostname + ".");
    line(m, "");
    line(m, "Your message (queue id " + original.queueId() + ") could not be delivered to one or more");
    line(m, "recipients. It is attached below (headers only).");
    line(m, "");
    for (RecipientState r : failed) {
      line(m, "<" + r.address() + ">: " + diagnostic(r));
    }
    line(m, "");
    line(m, "--" + boundary);
    line(m, "Content-Type: message/delivery-status");
    line(m, "Content-Description: Delivery report");
    line(m, "");
    line(m, "Reporting-MTA: dns; " + hostname);
    line(m, "X-Relaypoint-Queue-ID: " + original.queueId());
    line(m, "Arrival-Date: " + DATE.format(original.envelope().receivedAt().atOffset(ZoneOffset.UTC)));
    for (RecipientState r : failed) {
      line(m, "");
      line(m, "Final-Recipient: rfc822; " + r.address());
      line(m, "Action: failed");
      line(m, "Status: " + status(diagnostic(r)));
      line(m, "Diagnostic-Code: smtp; " + diagnostic(r));
      r.updatedAt().ifPresent(t -> line(m, "Last-Attempt-Date: " + DATE.format(t.atOffset(ZoneOffset.UTC))));
    }
    line(m, "");
    line(m, "--" + boundary);
    line(m, "Content-Type: text/rfc822-headers");
    line(m, "Content-Description: Undelivered Message Headers");
    line(m, "");
    byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
    byte[] headers = originalHeaders(original);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(head.length + headers.length + tail.length);
    return out.put(head).put(headers).put(tail).array();
  }

  /** The DSN Status field: the reply's enhanced code, else its class (RFC 3463). */
  static String status(String reply) {
    Matcher mt = ENHANCED.matcher(reply);
    if (mt.find()) {
      return mt.group(1);
    }
    return reply.startsWith("4") ? "4.0.0" : "5.0.0";
  }

  private static String diagnostic(RecipientState r) {
    String text = r.lastReply().orElse("550 5.0.0 delivery failed");
    return text.length() > 900 ? text.substring(0, 900) : text;
  }

  /** The header section up to (not including) the empty line, cut at a line end within the cap. */
  static byte[] originalHeaders(QueuedMessage original) throws IOException {
    int cap = (int) Math.min(MAX_HEADERS, original.size());
    ByteBuffer buf = ByteBuffer.allocate(cap);
    long pos = original.dataStart();
    while (buf.hasRemaining()) {
      int n = original.channel().read(buf, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    byte[] b = buf.array();
    int end = 0;
    for (int i = 0; i + 1 < buf.position(); i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        if (i == end) {
          break; // the empty line: end of the header section
        }
        end = i + 2;
      }
    }
    byte[] out = new byte[end];
    System.arraycopy(b, 0, out, 0, end);
    return out;
  }

  private static void line(StringBuilder m, String s) {
    m.append(s.replace("\r", " ").replace("\n", " ")).append("\r\n");
  }
}

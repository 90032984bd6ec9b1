package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import dev.relaypoint.testkit.TestMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A minimal RFC 1845 client for server tests: one attempt that may be cut anywhere, and a resume that
 * follows the RFC (355 → DATA and the rest from the offset; 250 → everything again).
 */
final class ResumingSender {

  final String ehlo;
  final String transId;
  final byte[] message;

  ResumingSender(String ehlo, String transId, byte[] message) {
    this.ehlo = ehlo;
    this.transId = transId;
    this.message = message;
  }

  String mailCommand() {
    return "MAIL FROM:<sender@client.test> TRANSID=" + transId;
  }

  /** The client→server bytes of a whole uninterrupted session, up to and including QUIT. */
  byte[] wholeSession() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(commandsBeforeData());
    out.writeBytes(TestMessages.dotStuff(message));
    out.writeBytes(".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  byte[] commandsBeforeData() {
    return ("EHLO " + ehlo + "\r\n" + mailCommand() + "\r\nRCPT TO:<rcpt@local.test>\r\nDATA\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends the whole session command by command, ignoring a broken connection (the point of the test). */
  void attemptThatMayBreak(InetSocketAddress address) {
    try (SmtpTestClient c = SmtpTestClient.connect(address.getHostString(), address.getPort())) {
      c.readReply();
      c.command("EHLO " + ehlo);
      c.command(mailCommand());
      c.command("RCPT TO:<rcpt@local.test>");
      c.command("DATA");
      c.sendRaw(TestMessages.dotStuff(message));
      c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
      c.readReply();
      c.command("QUIT");
    } catch (IOException | RuntimeException | AssertionError expected) {
      // the fault proxy cut the connection somewhere
    }
  }

  /** Resumes as RFC 1845 says; returns the final reply to the end of data. */
  Reply resume(InetSocketAddress address) throws IOException {
    try (SmtpTestClient c = SmtpTestClient.connect(address.getHostString(), address.getPort())) {
      assertThat(c.readReply().code()).isEqualTo(220);
      assertThat(c.command("EHLO " + ehlo).code()).isEqualTo(250);
      Reply mail = c.command(mailCommand());
      int from;
      if (mail.code() == 355) {
        String first = mail.lines().get(0);
        long offset = Long.parseLong(first.substring(0, first.indexOf(' ')));
        assertThat(offset).isBetween(0L, (long) message.length);
        assertThat(offset == 0 || message[(int) offset - 1] == '\n').as("offset %d at a line start", offset).isTrue();
        from = (int) offset;
        assertThat(c.command("DATA").code()).isEqualTo(354);
      } else {
        assertThat(mail.code()).as("reply to MAIL: %s", mail).isEqualTo(250);
        assertThat(c.command("RCPT TO:<rcpt@local.test>").code()).isEqualTo(250);
        assertThat(c.command("DATA").code()).isEqualTo(354);
        from = 0;
      }
      c.sendRaw(TestMessages.dotStuff(message, from));
      c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
      Reply done = c.readReply();
      c.command("QUIT");
      return done;
    }
  }
}

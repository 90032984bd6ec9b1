package dev.relaypoint.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relaypoint.smtp.wire.LineFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fuzz target for the command side: the strict line framer, fed in arbitrary segments, and every
 * line it yields through the MAIL/RCPT path parser and the TRANSID parser. Invariants: a line never
 * holds CR or LF and never exceeds the limit; the parsers fail only with {@link SmtpSyntaxException}.
 * Regression mode runs the seeds in {@code CommandParserFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
class CommandParserFuzzTest {

  private static final int LIMIT = 642;

  @FuzzTest(maxDuration = "10m")
  void framesAndParsesCommands(FuzzedDataProvider data) {
    int segment = data.consumeInt(1, 700);
    byte[] input = data.consumeRemainingAsBytes();
    LineFramer framer = new LineFramer(LIMIT);
    ByteBuf buffer = Unpooled.buffer();
    for (int pos = 0; pos < input.length; pos += segment) {
      buffer.writeBytes(input, pos, Math.min(segment, input.length - pos));
      LineFramer.Event event;
      while ((event = framer.next(buffer)) != null) {
        if (event instanceof LineFramer.Event.BareNewline) {
          return; // the session replies and closes: nothing after this is read
        }
        if (event instanceof LineFramer.Event.Line line) {
          parse(line.line().toString(StandardCharsets.ISO_8859_1));
        }
      }
      buffer.discardReadBytes();
      assertThat(buffer.readableBytes()).as("bounded buffering").isLessThanOrEqualTo(LIMIT + segment);
    }
  }

  private static void parse(String line) {
    assertThat(line).doesNotContain("\r", "\n");
    assertThat(line.length() + 2).isLessThanOrEqualTo(LIMIT);
    String upper = line.toUpperCase(Locale.ROOT);
    try {
      if (upper.startsWith("MAIL FROM:")) {
        MailArguments mail = PathParser.parseMail(line.substring(5));
        String transid = mail.parameters().get("TRANSID");
        if (transid != null) {
          TransactionId.parse(transid);
        }
      } else if (upper.startsWith("RCPT TO:")) {
        MailArguments rcpt = PathParser.parseRcpt(line.substring(5));
        rcpt.mailbox().ifPresent(m -> assertThat(m.toString().length()).isLessThanOrEqualTo(PathParser.MAX_PATH));
      } else {
        TransactionId.parse(line);
      }
    } catch (SmtpSyntaxException expected) {
      // a 5xx reply for the client; anything else escaping would be a bug
    }
  }
}

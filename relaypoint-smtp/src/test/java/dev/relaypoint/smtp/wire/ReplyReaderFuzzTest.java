package dev.relaypoint.smtp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relaypoint.smtp.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for the client's reply parser. Whatever a server sends, the reader returns well-formed
 * replies (codes 200–599, no CR or LF in the text, bounded line count) or fails with an
 * {@link IOException}; nothing unchecked escapes, and it always terminates.
 */
class ReplyReaderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void readsRepliesOrFailsCleanly(FuzzedDataProvider data) {
    byte[] input = data.consumeRemainingAsBytes();
    ReplyReader reader = new ReplyReader(512, 20);
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    try {
      while (true) {
        Reply reply = reader.read(in);
        assertThat(reply.code()).isBetween(200, 599);
        assertThat(reply.lines()).hasSizeBetween(1, 20);
        reply.lines().forEach(line -> assertThat(line).doesNotContain("\r", "\n").hasSizeLessThan(512));
      }
    } catch (IOException expected) {
      // end of input, or a malformed reply the client treats as a protocol error
    }
  }
}

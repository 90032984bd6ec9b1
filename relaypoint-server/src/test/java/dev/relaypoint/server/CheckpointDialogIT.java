package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.DialogRunner;
import dev.relaypoint.testkit.DialogScript;
import dev.relaypoint.testkit.TestMessages;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDialogIT {

  @TempDir
  Path dir;

  @Test
  void rfc1845Section5RestartAndLostFinalReply() throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      Map<String, String> vars = new DialogRunner(server.address())
          .run(DialogScript.fromResource("dialogs/checkpoint/rfc1845-section5.dialog"));

      long offset = Long.parseLong(vars.get("offset"));
      assertThat(offset).isPositive().isLessThanOrEqualTo(3_000_000);
      byte[] original = TestMessages.generate(5_000_000, 1845);
      assertThat(original[(int) offset - 1]).as("offset is at a line start").isEqualTo((byte) '\n');
      assertThat(server.awaitQueueIds(1)).containsExactly(vars.get("qid"));
      assertThat(TestMessages.sha256(server.queuedMessages().get(0))).isEqualTo(TestMessages.sha256(original));
    }
  }
}

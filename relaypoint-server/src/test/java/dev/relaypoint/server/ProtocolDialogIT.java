package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.DialogRunner;
import dev.relaypoint.testkit.DialogScript;
import dev.relaypoint.testkit.TestMessages;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden dialogs: the exact replies a client sees, kept in src/test/resources/dialogs. */
class ProtocolDialogIT {

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"protocol/sequencing", "protocol/syntax", "protocol/line-length",
      "checkpoint/transid-syntax"})
  void dialog(String name) throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      new DialogRunner(server.address()).run(DialogScript.fromResource("dialogs/" + name + ".dialog"));
      assertThat(server.queueIds()).isEmpty();
    }
  }

  @Test
  void sameTransIdUnderAnotherEhloNameLeavesTheStoredTransactionAlone() throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      Map<String, String> vars = new DialogRunner(server.address())
          .run(DialogScript.fromResource("dialogs/checkpoint/other-ehlo-name.dialog"));
      assertThat(Long.parseLong(vars.get("offset"))).isPositive();
      assertThat(server.queueIds()).containsExactly(vars.get("qid"));
      assertThat(TestMessages.sha256(server.read(vars.get("qid"))))
          .isEqualTo(TestMessages.sha256(TestMessages.generate(400_000, 42)));
    }
  }

  @Test
  void transIdIsRefusedWhenCheckpointIsDisabled() throws Exception {
    try (RunningServer server = RunningServer.start(dir, b -> b.checkpointEnabled(false),
        dev.relaypoint.store.CheckpointPolicy.DEFAULT)) {
      new DialogRunner(server.address()).run(DialogScript.parse("no-checkpoint", String.join("\n",
          "S: 220 *",
          "C: EHLO client.test",
          "S: 250-mx.test greets client.test",
          "S: 250-PIPELINING",
          "S: 250-SIZE 67108864",
          "S: 250-8BITMIME",
          "S: 250 ENHANCEDSTATUSCODES",
          "C: MAIL FROM:<a@client.test> TRANSID=<1@client.test>",
          "S: 555 5.5.4 TRANSID not recognized: CHECKPOINT is not offered",
          "C: QUIT",
          "S~ 221")));
    }
  }

  @Test
  void oversizedDataIsReadToTheEndThenRefusedAndTheSessionGoesOn() throws Exception {
    try (RunningServer server = RunningServer.start(dir, b -> b.maxMessageSize(5000).localParts("local.test", java.util.List.of("ann")),
        dev.relaypoint.store.CheckpointPolicy.DEFAULT)) {
      new DialogRunner(server.address()).run(DialogScript.parse("limits", String.join("\n",
          "S: 220 *",
          "C: EHLO client.test",
          "S~ 250",
          "C: MAIL FROM:<a@client.test> SIZE=5001",
          "S: 552 5.3.4 Message size exceeds fixed maximum message size",
          "C: MAIL FROM:<a@client.test> SIZE=4000 TRANSID=<big.1@client.test>",
          "S: 250 2.1.0 Sender and TRANSID ok",
          "C: RCPT TO:<bob@local.test>",
          "S: 550 5.1.1 Recipient address rejected: user unknown",
          "C: RCPT TO:<Ann@local.test>",
          "S: 250 2.1.5 Recipient ok",
          "C: RCPT TO:<postmaster@local.test>",
          "S: 250 2.1.5 Recipient ok",
          "C: DATA",
          "S: 354 *",
          "C! 200000 seed 5",
          "C: .",
          "S: 552 5.3.4 Message size exceeds fixed maximum message size",
          "C: MAIL FROM:<a@client.test>",
          "S: 250 2.1.0 Sender ok",
          "C: RCPT TO:<ann@local.test>",
          "S~ 250",
          "C: DATA",
          "S: 354 *",
          "C~ 'Subject: long line\\r\\n\\r\\n" + "x".repeat(999) + "\\r\\n.\\r\\n'",
          "S: 500 5.5.2 Message rejected: a line is longer than the limit",
          "C: MAIL FROM:<a@client.test> TRANSID=<big.1@client.test>",
          "S: 250 2.1.0 Sender and TRANSID ok",
          "C: QUIT",
          "S~ 221")));
      assertThat(server.queueIds()).isEmpty();
    }
  }
}

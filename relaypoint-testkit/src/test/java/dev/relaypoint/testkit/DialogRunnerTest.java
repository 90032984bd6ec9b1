package dev.relaypoint.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.testkit.TestServer.ReadResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DialogRunnerTest {

    private FakeSmtpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeSmtpServer();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void correctScriptPassesAndReturnsCaptures() {
        Map<String, String> vars = new DialogRunner(server.address())
                .run(DialogScript.fromResource("dialogs/testkit/basic.dialog"));
        assertThat(vars).containsEntry("qid", "Q1");
        assertThat(new String(server.queued().get(0).message(), US_ASCII))
                .isEqualTo("Subject: hi\r\n\r\n.leading dot\r\n");
    }

    @Test
    void restartDialogThroughFaultProxyResumesAndReplaysTheSameQueueId() throws Exception {
        int commands = ("EHLO client.test\r\n" + "MAIL FROM:<alice@client.test> TRANSID=<t1@client.test>\r\n"
                + "RCPT TO:<bob@fake.test>\r\n" + "DATA\r\n").length();
        try (FaultProxy proxy = FaultProxy.start(server.address())) {
            proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, commands + 3000, CutMode.RST));
            Map<String, String> vars = new DialogRunner(proxy.address())
                    .run(DialogScript.fromResource("dialogs/testkit/restart.dialog"));

            assertThat(proxy.connectionCount()).isEqualTo(3);
            long offset = Long.parseLong(vars.get("off"));
            assertThat(offset).isPositive().isLessThanOrEqualTo(3000);
            assertThat(server.queued()).hasSize(1); // the replay must not enqueue again
            assertThat(TestMessages.sha256(server.queued().get(0).message()))
                    .isEqualTo(TestMessages.sha256(TestMessages.generate(5000, 1)));
            assertThat(vars.get("qid")).isEqualTo(server.queued().get(0).queueId());
        }
    }

    @Test
    void wrongReplyTextFailsWithScriptLineExpectedAndActual() {
        DialogScript script = DialogScript.parse("wrong.dialog", String.join("\n",
                "# line 1",
                "S: 220 *",
                "C: EHLO client.test",
                "S: 250-fake.test",
                "S: 250-SMTPUTF8"));
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("wrong.dialog:5 [connection \"main\"]: reply line mismatch")
                .hasMessageContaining("expected: 250-SMTPUTF8")
                .hasMessageContaining("actual:   250-PIPELINING\\r\\n")
                .hasMessageContaining("C: EHLO client.test");
    }

    @Test
    void wrongEnhancedCodeFails() {
        DialogScript script = DialogScript.parse("enhanced.dialog",
                "S: 220 *\nC: MAIL FROM:<a@b>\nS: 250 2.1.5 Ok\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("enhanced.dialog:3")
                .hasMessageContaining("actual:   250 2.1.0 Ok\\r\\n");
    }

    @Test
    void wholeReplyWithWrongCodeFails() {
        DialogScript script = DialogScript.parse("code.dialog", "S: 220 *\nC: EHLO x\nS~ 220\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("code.dialog:3")
                .hasMessageContaining("reply code mismatch");
    }

    @Test
    void codeChangeInsideMultiLineReplyIsCaught() throws Exception {
        try (TestServer<ReadResult> broken = TestServer.blob("250-a\r\n251 b\r\n".getBytes(US_ASCII))) {
            DialogScript script = DialogScript.parse("multi.dialog", "S: 250-a\nS: 251 b\n");
            assertThatThrownBy(() -> new DialogRunner(broken.address()).run(script))
                    .hasMessageContaining("multi.dialog:2")
                    .hasMessageContaining("reply code changed inside a multi-line reply");
        }
    }

    @Test
    void wrongCodeOnContinuationLineFails() {
        DialogScript script = DialogScript.parse("cont.dialog", "S: 220 *\nC: EHLO x\nS: 250-*\nS: 251 *\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .hasMessageContaining("cont.dialog:4")
                .hasMessageContaining("actual:   250-PIPELINING\\r\\n");
    }

    @Test
    void expectedCloseFailsWhenServerKeepsTalking() {
        DialogScript script = DialogScript.parse("close.dialog", "S: 220 *\nC: NOOP\nS: <closed>\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .hasMessageContaining("close.dialog:3")
                .hasMessageContaining("expected the server to close the connection")
                .hasMessageContaining("actual:   250 2.0.0 Ok\\r\\n");
    }

    @Test
    void unexpectedCloseIsReported() {
        DialogScript script = DialogScript.parse("eof.dialog", "S: 220 *\nC: QUIT\nS: 221 *\nS: 250 *\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .hasMessageContaining("eof.dialog:4")
                .hasMessageContaining("server closed the connection");
    }

    @Test
    void silentServerTimesOutPerStep() {
        DialogScript script = DialogScript.parse("slow.dialog", "S: 220 *\nS: 250 *\n");
        long start = System.nanoTime();
        assertThatThrownBy(() -> new DialogRunner(server.address()).withStepTimeout(Duration.ofMillis(200))
                .run(script))
                .hasMessageContaining("slow.dialog:2")
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void bareLfFromServerIsAFailure() throws Exception {
        try (TestServer<ReadResult> sloppy = TestServer.blob("220 sloppy\n".getBytes(US_ASCII))) {
            DialogScript script = DialogScript.parse("lf.dialog", "S: 220 sloppy\n");
            assertThatThrownBy(() -> new DialogRunner(sloppy.address()).run(script))
                    .hasMessageContaining("lf.dialog:1")
                    .hasMessageContaining("bare LF");
        }
    }

    @Test
    void unboundVariableInCommandFails() {
        DialogScript script = DialogScript.parse("var.dialog", "S: 220 *\nC: MAIL FROM:<{who}>\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(script))
                .hasMessageContaining("var.dialog:2")
                .hasMessageContaining("{who} is not bound");
    }

    @Test
    void initialVariablesAreSubstitutedAndCapturesMustRepeat() {
        DialogScript script = DialogScript.parse("vars.dialog", String.join("\n",
                "S: 220 {host} ESMTP",
                "C: MAIL FROM:<{from}>",
                "S: 250 {status} {word}",
                "C: MAIL FROM:<{from}>",
                "S: 250 {status} {word}"));
        Map<String, String> vars = new DialogRunner(server.address())
                .run(script, Map.of("from", "a@b", "host", "fake.test"));
        assertThat(vars).containsEntry("status", "2.1.0").containsEntry("word", "Ok");

        DialogScript changed = DialogScript.parse("changed.dialog", "S: 220 *\nC: NOOP\nS: 250 {status} Ok\n");
        assertThatThrownBy(() -> new DialogRunner(server.address()).run(changed, vars))
                .hasMessageContaining("changed.dialog:3")
                .hasMessageContaining("actual:   250 2.0.0 Ok");
    }

    @Test
    void cutAbortsTheClientAndTheNextConnectionStartsFresh() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(server.address())) {
            DialogScript script = DialogScript.parse("cut.dialog",
                    "=== one\nS: 220 *\nC: NOOP\n!cut\n=== two\nS: 220 *\nC: QUIT\nS: 221 *\n");
            new DialogRunner(proxy.address()).run(script);
            assertThat(proxy.connectionCount()).isEqualTo(2);
            assertThat(proxy.awaitConnection(0, Duration.ofSeconds(5)).awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }
}

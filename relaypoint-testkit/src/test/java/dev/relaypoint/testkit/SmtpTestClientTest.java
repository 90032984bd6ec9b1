package dev.relaypoint.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.testkit.TestServer.ReadResult;
import java.io.EOFException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpTestClientTest {

    private static TestServer<ReadResult> canned(String bytes) throws Exception {
        return TestServer.writeAndClose(bytes.getBytes(US_ASCII));
    }

    private static SmtpTestClient connect(TestServer<?> server) throws Exception {
        return SmtpTestClient.connect(server.address(), Duration.ofSeconds(5));
    }

    @Test
    void readsMultiLineRepliesAndBareCodes() throws Exception {
        try (TestServer<ReadResult> server = canned("220 hi\r\n250-a.test\r\n250-SIZE 10\r\n250 8BITMIME\r\n354\r\n");
                SmtpTestClient client = connect(server)) {
            assertThat(client.readReply()).isEqualTo(new Reply(220, List.of("hi")));
            Reply ehlo = client.readReply();
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).containsExactly("a.test", "SIZE 10", "8BITMIME");
            assertThat(ehlo.toString()).isEqualTo("250-a.test\\r\\n250-SIZE 10\\r\\n250 8BITMIME");
            assertThat(client.readReply()).isEqualTo(new Reply(354, List.of("")));
            assertThatThrownBy(client::readReply).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void enhancedCodeAccessor() {
        assertThat(new Reply(250, List.of("2.1.0 Ok")).enhancedCode()).contains("2.1.0");
        assertThat(new Reply(250, List.of("Ok 2.1.0")).enhancedCode()).isEmpty();
    }

    @Test
    void rejectsSloppyLineEndingsAndInconsistentCodes() throws Exception {
        for (String bad : List.of("220 x\n", "220 x\rX\r\n", "220 x", "250-a\r\n251 b\r\n", "2x0 x\r\n", "250_x\r\n")) {
            try (TestServer<ReadResult> server = canned(bad); SmtpTestClient client = connect(server)) {
                assertThatThrownBy(client::readReply).as(Escapes.show(bad)).isInstanceOf(ProtocolException.class);
            }
        }
    }

    @Test
    void sendAddsCrlfAndRefusesEmbeddedLineBreaks() throws Exception {
        try (TestServer<ReadResult> server = TestServer.sink()) {
            try (SmtpTestClient client = connect(server)) {
                client.send("EHLO x");
                client.sendRaw("DATA\n".getBytes(US_ASCII));
                assertThatThrownBy(() -> client.send("A\r\nB")).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(new String(server.nextResult().bytes(), US_ASCII)).isEqualTo("EHLO x\r\nDATA\n");
        }
    }

    @Test
    void readTimeoutApplies() throws Exception {
        try (TestServer<ReadResult> server = TestServer.sink(); SmtpTestClient client = connect(server)) {
            client.readTimeout(Duration.ofMillis(100));
            assertThatThrownBy(client::readReply).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void abortResetsTheConnection() throws Exception {
        try (TestServer<ReadResult> server = TestServer.sink()) {
            SmtpTestClient client = connect(server);
            client.send("MAIL FROM:<a@b>");
            client.abort();
            ReadResult seen = server.nextResult();
            assertThat(new String(seen.bytes(), US_ASCII)).isEqualTo("MAIL FROM:<a@b>\r\n");
            assertThat(seen.reset()).isTrue();
        }
    }
}

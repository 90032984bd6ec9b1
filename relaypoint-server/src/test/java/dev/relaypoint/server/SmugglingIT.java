package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMTP smuggling (SEC Consult 2023; CVE-2023-51747 in Apache James): the vectors of SECURITY-TESTS.md
 * §1.3. A vector must never end the data, and the smuggled transaction behind it must never run.
 */
class SmugglingIT {

  private static final String SMUGGLED =
      "MAIL FROM:<spoof@victim.test>\r\nRCPT TO:<b@local.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n";

  @TempDir
  static Path dir;

  private static RunningServer server;
  private static FaultProxy oneByteProxy;

  @BeforeAll
  static void start() throws IOException {
    server = RunningServer.start(dir);
    oneByteProxy = FaultProxy.start(server.address());
  }

  @AfterAll
  static void stop() {
    oneByteProxy.close();
    server.close();
  }

  static Stream<Arguments> strictVectors() {
    return Stream.of(
        Arguments.of("V01", "\n.\n"), Arguments.of("V02", "\n.\r\n"), Arguments.of("V03", "\r\n.\n"),
        Arguments.of("V04", "\r.\r"), Arguments.of("V05", "\r.\n"), Arguments.of("V06", "\n.\r"),
        Arguments.of("V07", "\r.\r\n"), Arguments.of("V08", "\r\n.\r"), Arguments.of("V11", "\r\n.\r\r\n"),
        Arguments.of("V12", "\r\r\n.\r\r\n"));
  }

  @ParameterizedTest(name = "{0} after a complete line")
  @MethodSource("strictVectors")
  void bareNewlineVectorsAreRejectedAndNothingIsQueued(String id, String vector) throws IOException {
    assertRejected(server.address(), "body\r\n", vector);
  }

  @ParameterizedTest(name = "{0} glued to the body")
  @MethodSource("strictVectors")
  void vectorsWithoutACrlfBeforeThemAreRejectedToo(String id, String vector) throws IOException {
    assertRejected(server.address(), "body", vector);
  }

  @ParameterizedTest(name = "{0} in one-byte TCP segments")
  @MethodSource("strictVectors")
  void parserStateSurvivesOneByteSegments(String id, String vector) throws IOException {
    oneByteProxy.enqueue(FaultPlan.builder().fragment(1).build());
    assertRejected(oneByteProxy.address(), "body\r\n", vector);
  }

  @Test
  void nulAroundTheDotIsDataAndTheSmuggledTransactionStaysInTheBody() throws IOException {
    for (String vector : new String[] {"\r\n\0.\r\n", "\r\n.\0\r\n"}) {
      int before = server.queueIds().size();
      try (SmtpTestClient c = open(server.address())) {
        c.sendRaw(bytes("Subject: t\r\n\r\nbody" + vector + SMUGGLED));
        Reply r = c.readReply();
        assertThat(r.code()).isEqualTo(250);
        assertThat(c.command("QUIT").code()).isEqualTo(221);
      }
      assertThat(server.queueIds()).hasSize(before + 1);
      String body = new String(server.read(server.queueIds().get(before)), StandardCharsets.ISO_8859_1);
      assertThat(body).contains("MAIL FROM:<spoof@victim.test>");
    }
  }

  @Test
  void bareLfInsideACommandClosesBeforeTheSecondCommandRuns() throws IOException {
    try (SmtpTestClient c = SmtpTestClient.connect(server.address().getHostString(), server.address().getPort())) {
      c.readReply();
      c.command("EHLO client.test");
      c.sendRaw(bytes("MAIL FROM:<a@client.test>\nRCPT TO:<b@local.test>\r\n"));
      Reply r = c.readReply();
      assertThat(r.code()).isEqualTo(500);
      assertThat(r.text()).contains("Bare CR or LF");
      assertClosed(c);
    }
  }

  @Test
  void dataSentBeforeThe354IsAProtocolSynchronizationError() throws IOException {
    int before = server.queueIds().size();
    try (SmtpTestClient c = SmtpTestClient.connect(server.address().getHostString(), server.address().getPort())) {
      c.readReply();
      c.command("EHLO client.test");
      c.sendRaw(bytes("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@local.test>\r\nDATA\r\nSubject: x\r\n\r\nx\r\n.\r\n"));
      assertThat(c.readReply().code()).isEqualTo(250);
      assertThat(c.readReply().code()).isEqualTo(250);
      Reply r = c.readReply();
      assertThat(r.code()).isEqualTo(554);
      assertThat(r.enhancedCode()).hasValue("5.5.0");
      assertClosed(c);
    }
    assertThat(server.queueIds()).hasSize(before);
  }

  @Test
  void stuffedDotStaysInTheBody() throws IOException {
    int before = server.queueIds().size();
    try (SmtpTestClient c = open(server.address())) {
      c.sendRaw(bytes("a\r\n..\r\n..b\r\n.\r\n"));
      assertThat(c.readReply().code()).isEqualTo(250);
    }
    assertThat(new String(server.read(server.queueIds().get(before)), StandardCharsets.US_ASCII))
        .isEqualTo("a\r\n.\r\n.b\r\n");
  }

  private static void assertRejected(InetSocketAddress address, String body, String vector) throws IOException {
    int before = server.queueIds().size();
    try (SmtpTestClient c = open(address)) {
      c.sendRaw(bytes("Subject: t\r\n\r\n" + body + vector + SMUGGLED + "\r\n.\r\n"));
      Reply r = c.readReply();
      assertThat(r.code()).as("reply to %s", Escape.of(vector)).isEqualTo(500);
      assertThat(r.enhancedCode()).hasValue("5.5.2");
      assertClosed(c);
    }
    assertThat(server.queueIds()).as("queued after %s", Escape.of(vector)).hasSize(before);
  }

  private static SmtpTestClient open(InetSocketAddress address) throws IOException {
    SmtpTestClient c = SmtpTestClient.connect(address.getHostString(), address.getPort());
    assertThat(c.readReply().code()).isEqualTo(220);
    assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
    assertThat(c.command("MAIL FROM:<a@client.test>").code()).isEqualTo(250);
    assertThat(c.command("RCPT TO:<b@local.test>").code()).isEqualTo(250);
    assertThat(c.command("DATA").code()).isEqualTo(354);
    return c;
  }

  private static void assertClosed(SmtpTestClient c) {
    try {
      int read = c.socket().getInputStream().read();
      assertThat(read).as("connection closed").isEqualTo(-1);
    } catch (IOException reset) {
      // a reset also means closed
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Shows CR, LF and NUL readably in assertion messages. */
  private static final class Escape {
    static String of(String s) {
      return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
  }
}

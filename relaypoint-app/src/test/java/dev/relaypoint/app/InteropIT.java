package dev.relaypoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.TestMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server receiving from real SMTP clients installed from the OS: swaks (plain, a 2 MiB
 * attachment, pipelining), curl and Python's smtplib. Each message must land in the Maildir intact.
 * Run with {@code ./mvnw verify -Pinterop}; {@code .ci/run} installs the programs.
 */
@Tag("interop")
class InteropIT {

  private static final String FROM = "a@b.example";

  @TempDir
  static Path dir;

  private static ServerProcess server;
  private static Path data;

  @BeforeAll
  static void startServer() throws IOException {
    data = dir.resolve("data");
    server = ServerProcess.serve(data, "--domain", "localhost");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(Duration.ofSeconds(10));
    }
  }

  @Test
  void swaksPlainMessage() throws Exception {
    ExternalTool swaks = ExternalTool.require("swaks", "swaks");

    ExternalTool.Result r = swaks.run(dir, "--server", server(), "--to", "swaks@localhost", "--from", FROM,
        "--helo", "client.test", "--body", "relaypoint interop via swaks");

    assertThat(r.exitCode()).as(r.output()).isZero();
    String message = delivered("swaks");
    assertThat(message).contains("\r\nTo: swaks@localhost\r\n", "\r\n\r\nrelaypoint interop via swaks\r\n");
  }

  @Test
  void swaksTwoMebibyteAttachment() throws Exception {
    ExternalTool swaks = ExternalTool.require("swaks", "swaks");
    byte[] attachment = new byte[2 << 20];
    new Random(2).nextBytes(attachment);
    Path file = Files.write(dir.resolve("attachment.bin"), attachment);

    ExternalTool.Result r = swaks.run(dir, "--server", server(), "--to", "attach@localhost", "--from", FROM,
        "--body", "see the attachment", "--attach", "@" + file, "--suppress-data");

    assertThat(r.exitCode()).as(r.output()).isZero();
    byte[] decoded = base64Part(delivered("attach"), "attachment.bin");
    assertThat(decoded.length).isEqualTo(attachment.length);
    assertThat(TestMessages.sha256(decoded)).isEqualTo(TestMessages.sha256(attachment));
  }

  @Test
  void swaksPipelining() throws Exception {
    ExternalTool swaks = ExternalTool.require("swaks", "swaks");

    ExternalTool.Result r = swaks.run(dir, "--pipeline", "--server", server(), "--to", "pipe@localhost",
        "--from", FROM, "--body", "pipelined via swaks");

    assertThat(r.exitCode()).as(r.output()).isZero();
    // MAIL, RCPT and DATA went out as one group before the first reply came back.
    assertThat(r.output()).containsPattern("(?s) -> MAIL FROM:<a@b.example>\\R -> RCPT TO:<pipe@localhost>\\R -> DATA\\R"
        + "<-  250 [^\\n]*\\R<-  250 [^\\n]*\\R<-  354 ");
    assertThat(delivered("pipe")).contains("\r\n\r\npipelined via swaks\r\n");
  }

  /** A CRLF file with lines needing dot-stuffing: curl must stuff them and the server un-stuff them. */
  @Test
  void curlUploadOfCrlfFileArrivesByteIdentical() throws Exception {
    ExternalTool curl = ExternalTool.require("curl", "curl");
    byte[] message = TestMessages.generate(256 << 10, 7);
    Path file = Files.write(dir.resolve("curl.eml"), message);

    ExternalTool.Result r = curl.run(dir, "-sS", "smtp://" + server(), "--mail-from", FROM,
        "--mail-rcpt", "curl@localhost", "--upload-file", file.toString());

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertByteIdentical(DeliveredMail.single(data, "curl", "localhost"), message);
  }

  @Test
  void pythonSmtplibSendmailArrivesByteIdentical() throws Exception {
    ExternalTool python = ExternalTool.require("/usr/bin/python3", "python3");
    byte[] message = TestMessages.generate(1 << 20, 8);
    Path file = Files.write(dir.resolve("python.eml"), message);
    String script = String.join("\n",
        "import smtplib, sys",
        "port, path = int(sys.argv[1]), sys.argv[2]",
        "msg = open(path, 'rb').read()",
        "with smtplib.SMTP('127.0.0.1', port, local_hostname='client.test') as s:",
        "    refused = s.sendmail('" + FROM + "', ['python@localhost'], msg)",
        "    assert not refused, refused",
        "");

    ExternalTool.Result r = python.run(dir, "-c", script, String.valueOf(server.port()), file.toString());

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertByteIdentical(DeliveredMail.single(data, "python", "localhost"), message);
  }

  private static String server() {
    return "127.0.0.1:" + server.port();
  }

  private static String delivered(String localPart) throws IOException {
    return new String(DeliveredMail.single(data, localPart, "localhost"), StandardCharsets.ISO_8859_1);
  }

  private static void assertByteIdentical(byte[] delivered, byte[] sent) {
    assertThat(delivered.length).as("delivered size").isEqualTo(sent.length);
    assertThat(TestMessages.sha256(delivered)).as("SHA-256 of the delivered message")
        .isEqualTo(TestMessages.sha256(sent));
  }

  /** The base64 body of the MIME part whose file name is {@code name} (the part ends at the next boundary). */
  private static byte[] base64Part(String message, String name) {
    Pattern part = Pattern.compile("filename=\"" + Pattern.quote(name) + "\"\r\n(?:[^\r\n]+\r\n)*\r\n"
        + "([A-Za-z0-9+/=\r\n]+?)\r\n(?:\r\n)?--");
    Matcher m = part.matcher(message);
    assertThat(m.find()).as("a MIME part with filename=\"%s\"", name).isTrue();
    return Base64.getMimeDecoder().decode(m.group(1));
  }
}

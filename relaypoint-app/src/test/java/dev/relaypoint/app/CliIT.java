package dev.relaypoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.Reply;
import dev.relaypoint.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged {@code relaypoint} command as a user meets it: help, exit codes (2 for a bad command line or
 * config file, 1 when it cannot do its job), one-line errors without stack traces, SIGTERM, config files.
 */
class CliIT {

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"--help", "serve --help"})
  void helpExitsZeroAndDescribesTheOptions(String args) throws Exception {
    CliRun run = CliRun.run(dir, args.split(" "));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    if (args.startsWith("serve")) {
      assertThat(run.stdout()).contains("--listen", "--data-dir", "--hostname", "--domain", "--local-delivery",
          "--max-message-size", "--checkpoint-retention", "--checkpoint-interval", "--checkpoint-bytes", "--no-checkpoint", "--config");
    } else {
      assertThat(run.stdout()).contains("serve", "--help", "--version");
    }
    assertNoStackTrace(run);
  }

  @Test
  void noCommandIsAnError() throws Exception {
    CliRun run = CliRun.run(dir);

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("serve");
    assertNoStackTrace(run);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--bogus",
      "serve --bogus",
      "serve --listen nope",
      "serve --listen 127.0.0.1:99999",
      "serve --listen 127.0.0.1:http",
      "serve --max-message-size 12Q",
      "serve --checkpoint-bytes -1",
      "serve --checkpoint-interval 5x",
      "serve --checkpoint-retention forever",
      "serve --checkpoint-retention-unauthenticated 72h",
      "serve --checkpoint-max-per-client 0",
      "serve --checkpoint-max-per-client many",
      "serve --checkpoint-max-bytes-per-client 1Q",
      "serve --checkpoint-max-total-bytes 0",
      "serve --checkpoint-min-free-space 150%",
      "serve --local-delivery mbox",
      "serve --route example.org"})
  void badCommandLineIsExitTwoWithOneLine(String args) throws Exception {
    assertUsageError(CliRun.run(dir, (args + " --data-dir " + dir.resolve("data")).split(" ")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "unknown-key.yaml|listen: 127.0.0.1:0\nbogus-key: 1\n",
      "bad-syntax.yaml|listen: [unclosed\n  : :\n",
      "unclosed-list.yaml|domains: [a, b\n",
      "wrong-type.yml|listen: [1, 2]\n",
      "unknown-key.toml|listen = \"127.0.0.1:0\"\nfoo = 1\n",
      "bad-syntax.toml|listen = \n",
      "config.ini|listen=127.0.0.1:0\n"})
  void badConfigFileIsExitTwoWithOneLine(String nameAndContent) throws Exception {
    String[] parts = nameAndContent.split("\\|", 2);
    Path config = Files.writeString(dir.resolve(parts[0]), parts[1]);

    CliRun run = CliRun.run(dir, "serve", "--config", config.toString(), "--data-dir", dir.resolve("data").toString());

    assertUsageError(run);
    assertThat(run.errorLines().get(0)).contains(parts[0]);
  }

  @Test
  void badValueInConfigFileIsExitTwoWithOneLine() throws Exception {
    Path config = Files.writeString(dir.resolve("bad-value.yaml"), "max-message-size: 12Q\n");

    CliRun run = CliRun.run(dir, "serve", "--config", config.toString(), "--data-dir", dir.resolve("data").toString());

    assertUsageError(run);
    assertThat(run.errorLines().get(0)).contains("max-message-size", "12Q");
  }

  /** A line break in the name would end up in the 220 greeting; it used to start and then drop every client. */
  @ParameterizedTest
  @ValueSource(strings = {"mx.test\r\n250 injected", "mx test", ""})
  void unusableHostnameIsExitTwoWithOneLine(String hostname) throws Exception {
    CliRun run = CliRun.run(dir, "serve", "--listen", "127.0.0.1:0", "--hostname", hostname,
        "--data-dir", dir.resolve("data").toString());

    assertUsageError(run);
    assertThat(run.errorLines().get(0)).contains("hostname");
  }

  @Test
  void busyPortIsExitOneWithOneLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CliRun run = CliRun.run(dir, "serve", "--listen", "127.0.0.1:" + busy.getLocalPort(),
          "--data-dir", dir.resolve("data").toString());

      assertFailure(run);
      assertThat(run.errorLines().get(0)).contains(String.valueOf(busy.getLocalPort()));
    }
  }

  @Test
  void dataDirectoryUnderARegularFileIsExitOneWithOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");

    CliRun run = CliRun.run(dir, "serve", "--listen", "127.0.0.1:0", "--data-dir", file.resolve("data").toString());

    assertFailure(run);
    assertThat(run.errorLines().get(0)).contains(file.resolve("data").toString());
  }

  @Test
  void sigtermStopsTheServerPromptly() throws Exception {
    try (ServerProcess server = ServerProcess.serve(dir.resolve("data"))) {
      long start = System.nanoTime();
      int exit = server.stop(Duration.ofSeconds(10));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(server.stderr()).contains("shutting down").doesNotContain("\tat ", "Exception");
    }
  }

  @Test
  void yamlConfigFileIsHonoured() throws Exception {
    int port = freePort();
    Path config = Files.writeString(dir.resolve("relaypoint.yaml"), String.join("\n",
        "listen: 127.0.0.1:" + port,
        "data-dir: " + dir.resolve("yaml-data"),
        "hostname: yaml.mx.test",
        "domains:",
        "  - yaml.test",
        "trusted-networks: []",
        ""));

    assertConfigHonoured(config, port, "yaml.mx.test", "yaml.test");
  }

  @Test
  void tomlConfigFileIsHonoured() throws Exception {
    int port = freePort();
    Path config = Files.writeString(dir.resolve("relaypoint.toml"), String.join("\n",
        "listen = \"127.0.0.1:" + port + "\"",
        "data-dir = \"" + dir.resolve("toml-data") + "\"",
        "hostname = \"toml.mx.test\"",
        "domains = [\"toml.test\"]",
        "trusted-networks = []",
        ""));

    assertConfigHonoured(config, port, "toml.mx.test", "toml.test");
  }

  private static void assertConfigHonoured(Path config, int port, String hostname, String domain) throws Exception {
    try (ServerProcess server = ServerProcess.start(List.of("serve", "--config", config.toString()));
        SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", server.port())) {
      assertThat(server.port()).isEqualTo(port);
      assertThat(client.readReply().lastLine()).startsWith(hostname + " ");
      assertThat(client.command("EHLO client.test").code()).isEqualTo(250);
      assertThat(client.command("MAIL FROM:<a@client.test>").code()).isEqualTo(250);
      Reply local = client.command("RCPT TO:<u@" + domain + ">");
      Reply notLocal = client.command("RCPT TO:<u@localhost>");
      assertThat(local.code()).as("RCPT to the configured domain: %s", local).isEqualTo(250);
      // Nobody may relay (trusted-networks is empty), so a non-local domain is refused with 554 5.7.1.
      assertThat(notLocal.code()).as("RCPT to the default domain, not configured: %s", notLocal).isEqualTo(554);
    }
  }

  private static void assertUsageError(CliRun run) {
    assertThat(run.exitCode()).as("exit code; stderr:\n%s", run.stderr()).isEqualTo(2);
    assertOneErrorLine(run);
    assertThat(run.stderrLines()).as("stderr is the error plus at most a 'Try ... --help' hint")
        .hasSizeBetween(1, 2);
    if (run.stderrLines().size() == 2) {
      assertThat(run.stderrLines().get(1)).startsWith("Try ").contains("--help");
    }
  }

  private static void assertFailure(CliRun run) {
    assertThat(run.exitCode()).as("exit code; stderr:\n%s", run.stderr()).isEqualTo(1);
    assertOneErrorLine(run);
  }

  private static void assertOneErrorLine(CliRun run) {
    assertThat(run.errorLines()).as("'relaypoint: ...' lines in stderr:\n%s", run.stderr()).hasSize(1);
    assertNoStackTrace(run);
  }

  private static void assertNoStackTrace(CliRun run) {
    assertThat(run.stderrLines()).as("stderr").noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))
        .noneMatch(l -> l.matches(".*(\\w*Exception|\\w+Error)\\b.*"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

package dev.relaypoint.app.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.ServerTls;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SendCommandTest {

  @TempDir
  Path tmp;

  private FileStore store;
  private SmtpServer server;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Path message;

  @BeforeEach
  void start() throws Exception {
    store = FileStore.open(FileStoreConfig.builder(tmp.resolve("data")).build());
    server = SmtpServer.newBuilder().config(ServerConfig.newBuilder()
        .listen(new InetSocketAddress("127.0.0.1", 0)).hostname("server.test")
        .localDomains(List.of("server.test")).trustedNetworks(List.of()).build()).queue(store).checkpoints(store).build().start();
    message = tmp.resolve("m.eml");
    Files.writeString(message, "Subject: hi\n\nhello\n.\n");
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("--state-dir", tmp.resolve("state").toString(), "--ehlo", "client.test",
        "--retry-delay", "0.01"));
    all.addAll(List.of(args));
    return new CommandLine(new SendCommand(new PrintStream(err, true, StandardCharsets.UTF_8), false))
        .execute(all.toArray(String[]::new));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void deliversQuietlyWithExitZero() throws Exception {
    int code = run("--server", "127.0.0.1:" + server.address().getPort(), "--from", "a@client.test",
        "--to", "bob@server.test", message.toString());
    assertThat(code).isEqualTo(SendExitCodes.OK);
    assertThat(stderr()).isEmpty();
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void verboseSummaryNamesTheQueueId() {
    run("-v", "--server", "127.0.0.1:" + server.address().getPort(), "--from", "a@client.test",
        "--to", "bob@server.test", message.toString());
    assertThat(stderr()).startsWith("delivered as ").contains("1 attempt");
  }

  @Test
  void refusedRecipientExitsThreeWithOneLine() {
    int code = run("--server", "127.0.0.1:" + server.address().getPort(), "--from", "a@client.test",
        "--to", "bob@server.test", "--to", "x@elsewhere.test", message.toString());
    assertThat(code).isEqualTo(SendExitCodes.REJECTED);
    assertThat(stderr().lines()).singleElement().asString().startsWith("relaypoint send: x@elsewhere.test: 5");
  }

  @Test
  void unreachableServerExitsFourAfterTheAttempts() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int code = run("--server", "127.0.0.1:" + port, "--max-attempts", "2", "--from", "a@client.test",
        "--to", "bob@server.test", message.toString());
    assertThat(code).isEqualTo(SendExitCodes.GAVE_UP);
    assertThat(stderr().lines()).singleElement().asString().contains("gave up after 2 attempts")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void badAddressIsAUsageError() {
    int code = run("--server", "127.0.0.1:25", "--from", "a@client.test", "--to", "not-an-address", message.toString());
    assertThat(code).isEqualTo(SendExitCodes.USAGE);
    assertThat(stderr().lines()).singleElement().asString().startsWith("relaypoint send: recipient");
  }

  @Test
  void missingFileIsALocalFailure() {
    int code = run("--server", "127.0.0.1:25", "--from", "a@client.test", "--to", "b@server.test",
        tmp.resolve("nope.eml").toString());
    assertThat(code).isEqualTo(SendExitCodes.LOCAL_FAILURE);
    assertThat(stderr()).isEqualTo("relaypoint send: cannot read " + tmp.resolve("nope.eml") + System.lineSeparator());
  }

  @Test
  void progressLineShowsRateEtaAndResumeOffset() {
    ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), () -> 0L);
    bar.connecting(2, new InetSocketAddress("127.0.0.1", 25));
    bar.restarting(1_048_576, 4_194_304);
    String line = bar.line(2_097_152, 4_194_304, 1_000_000_000L);
    assertThat(line).contains(" 50% 2.0 MiB/4.0 MiB 1.0 MiB/s ETA 0:02 (resumed at octet 1048576)");
  }

  @Test
  void tlsFlagMistakesAreOneLineUsageErrors() throws Exception {
    String port = "127.0.0.1:" + server.address().getPort();
    List<List<String>> bad = List.of(List.of("--tls", "maybe"), List.of("--tls-insecure"),
        List.of("--tls-ca", message.toString()), List.of("--tls", "required", "--tls-insecure", "--tls-ca",
            message.toString()), List.of("--tls", "required", "--tls-ca", tmp.resolve("none.pem").toString()));
    for (List<String> flags : bad) {
      err.reset();
      List<String> args = new ArrayList<>(flags);
      args.addAll(List.of("--server", port, "--from", "a@client.test", "--to", "bob@server.test", message.toString()));
      assertThat(run(args.toArray(String[]::new))).as(flags.toString()).isEqualTo(SendExitCodes.USAGE);
      assertThat(stderr().lines()).as(flags.toString()).singleElement().asString().startsWith("relaypoint send: ");
    }
    assertThat(store.list()).isEmpty();
  }

  @Test
  void requiredTlsAgainstAServerWithoutStartTlsSendsNothing() throws Exception {
    int code = run("--tls", "required", "--server", "127.0.0.1:" + server.address().getPort(),
        "--from", "a@client.test", "--to", "bob@server.test", message.toString());
    assertThat(code).isEqualTo(SendExitCodes.GAVE_UP);
    assertThat(stderr().lines()).singleElement().asString()
        .contains("TLS required: the server does not offer STARTTLS");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void requiredTlsWithInsecureTrustReachesASelfSignedServer() throws Exception {
    FileStore tlsStore = FileStore.open(FileStoreConfig.builder(tmp.resolve("tls-data")).build());
    SmtpServer tlsServer = SmtpServer.newBuilder().config(ServerConfig.newBuilder()
        .listen(new InetSocketAddress("127.0.0.1", 0)).hostname("server.test").localDomains(List.of("server.test"))
        .tls(ServerTls.selfSigned(tmp.resolve("tls"), "server.test")).build())
        .queue(tlsStore).checkpoints(tlsStore).build().start();
    try {
      int code = run("--tls", "required", "--tls-insecure", "--server", "127.0.0.1:" + tlsServer.address().getPort(),
          "--from", "a@client.test", "--to", "bob@server.test", message.toString());
      assertThat(code).as(stderr()).isEqualTo(SendExitCodes.OK);
      String id = tlsStore.list().get(0);
      try (var queued = tlsStore.open(id)) {
        assertThat(queued.envelope().protocol()).isEqualTo("ESMTPS");
      }
    } finally {
      tlsServer.close();
      tlsStore.close();
    }
  }
}

package dev.relaypoint.app.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.QueuedMessage;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import dev.relaypoint.testkit.ProxiedConnection;
import dev.relaypoint.testkit.TestMessages;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code relaypoint send} killed with SIGKILL mid-transfer and run again resumes from the server's offset. */
class SendCommandKillIT {

  @TempDir
  Path tmp;

  @Test
  void killedSendResumesWhenRunAgain() throws Exception {
    // Larger than the loopback socket buffers, so the kill really leaves the message half sent.
    byte[] message = TestMessages.generate(24_000_000, 1845);
    Path file = tmp.resolve("big.eml");
    Files.write(file, message);
    Path stateDir = tmp.resolve("state");
    try (FileStore store = FileStore.open(FileStoreConfig.builder(tmp.resolve("data")).build());
        SmtpServer server = SmtpServer.newBuilder().config(ServerConfig.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0)).hostname("server.test")
            .localDomains(List.of("server.test")).build()).queue(store).checkpoints(store).build().start();
        FaultProxy proxy = FaultProxy.start(server.address())) {
      proxy.enqueue(FaultPlan.stallAt(Direction.CLIENT_TO_SERVER, 1_500_000));
      List<String> args = List.of("send", "--server", "127.0.0.1:" + proxy.port(), "--from", "alice@client.test",
          "--to", "bob@server.test", "--ehlo", "client.test", "--state-dir", stateDir.toString(),
          "--retry-delay", "0.3", "-v", file.toString());

      Process first = start(args);
      ProxiedConnection conn = proxy.awaitConnection(0, Duration.ofSeconds(20));
      assertThat(conn.awaitStalled(Direction.CLIENT_TO_SERVER, Duration.ofSeconds(20))).isTrue();
      first.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      try (Stream<Path> files = Files.list(stateDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".send"));
      }
      conn.release(); // the proxy forwards what it holds, then passes on the dead client's close
      assertThat(conn.awaitClosed(Duration.ofSeconds(10))).isTrue();

      Process second = start(args);
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = new String(second.getErrorStream().readAllBytes());
      assertThat(second.exitValue()).as(err).isZero();
      Matcher m = Pattern.compile("(\\d+) skipped by restart").matcher(err);
      assertThat(m.find()).as(err).isTrue();
      assertThat(Long.parseLong(m.group(1))).isPositive().isLessThan(message.length);

      List<String> ids = store.list();
      assertThat(ids).hasSize(1);
      try (QueuedMessage q = store.open(ids.get(0))) {
        ByteBuffer buf = ByteBuffer.allocate((int) q.size());
        while (buf.hasRemaining() && q.channel().read(buf, q.dataStart() + buf.position()) > 0) {
          // read it all
        }
        assertThat(TestMessages.sha256(buf.array())).isEqualTo(TestMessages.sha256(message));
      }
      try (Stream<Path> files = Files.list(stateDir)) {
        assertThat(files.filter(p -> p.toString().endsWith(".send"))).isEmpty();
      }
    }
  }

  private static Process start(List<String> args) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, "dev.relaypoint.app.Main"));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(new File("/dev/null")).start();
  }
}

package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaypoint.testkit.CutMode;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against real SMTP servers without CHECKPOINT (run with -Pinterop): Debian's aiosmtpd and
 * Postfix's smtp-sink. Each gets a clean send and a send whose link is cut mid-message, which must end
 * in a full retransmission. A missing peer skips the test through an assumption that names it.
 */
@Tag("interop")
class InteropIT {

  private static final String PYTHON = "/usr/bin/python3";
  private static final String SMTP_SINK = "/usr/sbin/smtp-sink";

  @TempDir
  Path tmp;

  private Process peer;

  @AfterEach
  void stopPeer() throws InterruptedException {
    if (peer != null) {
      peer.destroy();
      peer.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aiosmtpdReceivesTheExactMessageAndAFullResendAfterACut() throws Exception {
    assumeTrue(new File(PYTHON).canExecute(), "aiosmtpd test needs " + PYTHON + " (python3-aiosmtpd)");
    assumeTrue(new ProcessBuilder(PYTHON, "-c", "import aiosmtpd").start().waitFor() == 0,
        "aiosmtpd test needs the Python module aiosmtpd (Debian package python3-aiosmtpd)");
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(tmp.resolve("savehandler.py"), String.join("\n",
        "import os",
        "class Save:",
        "    n = 0",
        "    async def handle_DATA(self, server, session, envelope):",
        "        Save.n += 1",
        "        with open(os.path.join(os.environ['OUT'], '%d.eml' % Save.n), 'wb') as f:",
        "            f.write(envelope.original_content)",
        "        return '250 OK queued as AIO%d' % Save.n",
        ""));
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
        "-c", "savehandler.Save").redirectErrorStream(true).redirectOutput(tmp.resolve("aiosmtpd.log").toFile());
    pb.environment().put("PYTHONPATH", tmp.toString());
    pb.environment().put("OUT", out.toString());
    peer = pb.start();
    awaitPort(port);

    byte[] message = Clients.message(400_000, 5);
    SendResult result = Clients.to(new InetSocketAddress("127.0.0.1", port)).build()
        .send(Clients.ENVELOPE, MessageSource.of(message));
    assertThat(result.queueId()).contains("AIO1");
    assertThat(result.transactionId()).isEmpty();
    assertThat(Files.readAllBytes(out.resolve("1.eml"))).isEqualTo(message);

    try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", port))) {
      proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 200_000, CutMode.RST));
      SendResult again = Clients.to(proxy.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(again.octetsSkipped()).isZero();
      assertThat(again.octetsSent()).isGreaterThan(message.length);
      assertThat(Files.readAllBytes(out.resolve("2.eml"))).isEqualTo(message);
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files).hasSize(2); // the cut transaction was never delivered
      }
    }
  }

  @Test
  void smtpSinkWithoutCheckpointGetsAFullRetransmission() throws Exception {
    assumeTrue(new File(SMTP_SINK).canExecute(), "smtp-sink test needs " + SMTP_SINK + " (Debian package postfix)");
    int port = freePort();
    Path dumps = Files.createDirectory(tmp.resolve("dumps"));
    // smtp-sink drops privileges to nobody, which must be able to reach and write the dump directory.
    tmp.toFile().setExecutable(true, false);
    dumps.toFile().setExecutable(true, false);
    dumps.toFile().setWritable(true, false);
    peer = new ProcessBuilder(SMTP_SINK, "-u", "nobody", "-d", dumps + "/%H%M%S.", "127.0.0.1:" + port, "64")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("sink.log").toFile()).start();
    awaitPort(port);
    byte[] message = Clients.message(300_000, 6);
    try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", port))) {
      proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 100_000, CutMode.FIN));
      SendResult result = Clients.to(proxy.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(result.transactionId()).isEmpty();
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.octetsSkipped()).isZero();
    }
    try (Stream<Path> files = Files.list(dumps)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      String dump = Files.readString(all.get(0), StandardCharsets.ISO_8859_1);
      assertThat(dump).contains("alice@client.test").doesNotContain("TRANSID");
      assertThat(dump).contains("Subject: test 6");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(peer.isAlive()).as("peer exited early").isTrue();
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("peer did not listen on " + port);
  }
}

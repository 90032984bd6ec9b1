package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.CutMode;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real Relaypoint server through the fault proxy: cuts at random client-to-server
 * offsets, around the terminator, and after it (the lost final reply). Every message must arrive
 * byte-identical (SHA-256) and exactly once.
 */
class RelaypointServerRestartIT {

  @TempDir
  Path tmp;

  private static SmtpClient client(FaultProxy proxy) {
    // 300 ms between attempts: long enough for the server to notice the dead connection (RFC 1845 §3 ¶10).
    return Clients.to(proxy.address())
        .retryPolicy(new RetryPolicy(6, Duration.ofMillis(300), Duration.ofSeconds(1), 1.5)).build();
  }

  private static String transId(int n) {
    return String.format("<%032d@client.test>", n);
  }

  @Test
  void randomCutsTerminatorAndLostFinalReplyDeliverEachMessageOnce() throws Exception {
    try (RelaypointServer server = new RelaypointServer(tmp.resolve("data"), true);
        FaultProxy proxy = FaultProxy.start(server.address())) {
      byte[] message = Clients.message(300_000, 42);
      SmtpClient client = client(proxy);
      // A clean send measures how many octets the client sends up to and including ".\r\n".
      SendResult clean = client.send(Clients.ENVELOPE, MessageSource.of(message), transId(0));
      assertThat(clean.transactionId()).contains(transId(0));
      long wire = proxy.bytesForwarded(Direction.CLIENT_TO_SERVER) - "QUIT\r\n".length();
      assertThat(server.takeQueued(1)).singleElement().isEqualTo(message);

      Random random = new Random(1845);
      List<Long> cuts = new ArrayList<>(List.of(wire - 3, wire - 2, wire - 1, wire, wire + 1));
      for (int i = 0; i < 6; i++) {
        cuts.add(200 + (long) random.nextInt((int) wire - 200));
      }
      int n = 1;
      for (long cut : cuts) {
        proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, cut, random.nextBoolean() ? CutMode.RST : CutMode.FIN));
        SendResult result = client.send(Clients.ENVELOPE, MessageSource.of(message), transId(n++));
        List<byte[]> queued = server.takeQueued(1);
        assertThat(queued).as("cut at %d of %d", cut, wire).hasSize(1);
        assertThat(Clients.sha256(queued.get(0))).isEqualTo(Clients.sha256(message));
        assertThat(result.attempts()).as("cut at %d", cut).isEqualTo(cut <= wire ? 2 : 1);
        // How much is skipped depends on the server's checkpoint policy (only fsynced octets are promised).
        assertThat(result.octetsSkipped()).isBetween(0L, (long) message.length);
        if (cut == wire + 1) {
          assertThat(result.queueId()).isPresent(); // the QUIT was cut, nothing else
        }
      }
    }
  }

  @Test
  void lostFinalReplyGets355TotalAndNoSecondDelivery() throws Exception {
    try (RelaypointServer server = new RelaypointServer(tmp.resolve("lost"), true);
        FaultProxy proxy = FaultProxy.start(server.address())) {
      byte[] message = Clients.message(200_000, 43);
      SmtpClient client = client(proxy);
      SendResult clean = client.send(Clients.ENVELOPE, MessageSource.of(message), transId(100));
      server.takeQueued(1);
      long replies = proxy.bytesForwarded(Direction.SERVER_TO_CLIENT);
      long beforeFinal = replies - clean.finalReply().toWire().length
          - dev.relaypoint.smtp.Reply.of(221, "2.0.0", "server.test closing connection").toWire().length;
      // The server commits and writes its 250; the proxy forwards one octet of it and cuts the link.
      proxy.enqueue(FaultPlan.cutAt(Direction.SERVER_TO_CLIENT, beforeFinal + 1, CutMode.RST));
      SendResult result = client.send(Clients.ENVELOPE, MessageSource.of(message), transId(101));
      assertThat(server.takeQueued(1)).singleElement().isEqualTo(message);
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.octetsSkipped()).isEqualTo(message.length); // 355 <total>: only the dot is resent
      assertThat(result.octetsSent()).isEqualTo(message.length);
      assertThat(result.queueId()).isPresent();
    }
  }

  @Test
  void serverWithoutCheckpointGetsAFullResend() throws Exception {
    try (RelaypointServer server = new RelaypointServer(tmp.resolve("plain"), false);
        FaultProxy proxy = FaultProxy.start(server.address())) {
      byte[] message = Clients.message(100_000, 7);
      proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 50_000, CutMode.RST));
      SendResult result = client(proxy).send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(result.transactionId()).isEmpty();
      assertThat(result.octetsSkipped()).isZero();
      assertThat(server.takeQueued(1)).singleElement().isEqualTo(message);
    }
  }
}

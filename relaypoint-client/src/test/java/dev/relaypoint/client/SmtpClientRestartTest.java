package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.client.FakeSmtpServer.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpClientRestartTest {

  @TempDir
  Path tmp;

  @Test
  void resumesAtTheServersOffsetAfterCutsAtRandomPoints() throws Exception {
    Random random = new Random(11);
    for (int round = 0; round < 10; round++) {
      byte[] message = Clients.message(200_000, round);
      try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
        server.fault(Fault.cutData(random.nextInt(message.length))).fault(Fault.cutData(random.nextInt(message.length)));
        List<Long> restarts = new CopyOnWriteArrayList<>();
        SendResult result = Clients.to(server.address()).listener(new SendListener() {
          @Override
          public void restarting(long offset, long size) {
            restarts.add(offset);
          }
        }).build().send(Clients.ENVELOPE, MessageSource.of(message));

        assertThat(server.deliveries).singleElement()
            .satisfies(d -> assertThat(Clients.sha256(d.data())).isEqualTo(Clients.sha256(message)));
        assertThat(result.attempts()).isBetween(2, 3).isEqualTo(server.connections());
        assertThat(restarts).hasSize(result.attempts() - 1);
        assertThat(result.octetsSkipped()).isEqualTo(restarts.stream().mapToLong(Long::longValue).sum());
        assertThat(result.octetsSent()).isGreaterThanOrEqualTo(message.length - restarts.get(restarts.size() - 1));
        assertThat(server.commands).filteredOn(c -> c.startsWith("MAIL")).hasSize(result.attempts()).allMatch(
            c -> c.equals(server.deliveries.get(0).mailCommand()), "same TRANSID every time");
        assertThat(server.commands).filteredOn(c -> c.startsWith("EHLO")).containsOnly("EHLO client.test");
        for (int i = 0; i < server.transcripts.size(); i++) {
          assertThat(Clients.onlyCrlf(server.transcripts.get(i).toByteArray())).isTrue();
        }
      }
    }
  }

  @Test
  void lostFinalReplyIsResumedAtTheTotalAndDeliveredOnce() throws Exception {
    byte[] message = Clients.message(30_000, 21);
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      server.fault(Fault.loseFinalReply());
      SendResult result = Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(server.deliveries).hasSize(1);
      assertThat(result.queueId()).contains("Q1");
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.octetsSkipped()).isEqualTo(message.length);
      assertThat(result.octetsSent()).isEqualTo(message.length);
      assertThat(server.transcripts.get(1).toString()).endsWith("DATA\r\n.\r\nQUIT\r\n");
    }
  }

  @Test
  void cutExactlyAtTheTerminatorResumes() throws Exception {
    byte[] message = Clients.message(10_000, 22);
    int stuffed = dev.relaypoint.testkit.TestMessages.dotStuff(message).length;
    for (int cut : new int[] {stuffed, stuffed + 1, stuffed + 2, stuffed - 1}) {
      try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
        server.fault(Fault.cutData(cut));
        Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
        assertThat(server.deliveries).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(message));
      }
    }
  }

  @Test
  void serverWithoutCheckpointGetsTheWholeMessageAgain() throws Exception {
    byte[] message = Clients.message(100_000, 23);
    try (FakeSmtpServer server = FakeSmtpServer.plain()) {
      server.fault(Fault.cutData(60_000));
      SendResult result = Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(server.deliveries).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(message));
      assertThat(result.octetsSkipped()).isZero();
      assertThat(result.octetsSent()).isGreaterThan(message.length);
      assertThat(result.attempts()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"355 999999999 beyond", "355 abc", "355 -5 negative", "355", "355 7 mid-line",
      "355 12x", "355 99999999999999999999999"})
  void untrustworthyRestartOffsetFailsTheAttemptThenSendsEverythingWithoutTransid(String bogus) throws Exception {
    byte[] message = Clients.message(5_000, 24);
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      server.fault(Fault.mailReply(bogus));
      SendResult result = Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(server.deliveries).singleElement().satisfies(d -> {
        assertThat(d.data()).isEqualTo(message);
        assertThat(d.mailCommand()).doesNotContain("TRANSID");
      });
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.octetsSkipped()).isZero();
      assertThat(server.commands.subList(0, 3)).noneMatch(c -> c.equals("DATA"));
    }
  }

  @Test
  void restartReplyToAMailWithoutTransidIsAProtocolError() throws Exception {
    try (FakeSmtpServer server = new FakeSmtpServer(false, false, null)) {
      server.fault(Fault.mailReply("355 0 surprise"));
      Clients.to(server.address()).build().send(Clients.ENVELOPE, MessageSource.of(Clients.message(800, 25)));
      assertThat(server.deliveries).hasSize(1);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void restartsOnTheOtherAddressWhenTheOriginalRefusesAndResendsAllWithoutItsCheckpoint() throws Exception {
    byte[] message = Clients.message(120_000, 26);
    try (FakeSmtpServer original = FakeSmtpServer.withCheckpoint(); FakeSmtpServer other = FakeSmtpServer.plain()) {
      original.fault(Fault.cutData(70_000));
      List<String> tried = new CopyOnWriteArrayList<>();
      SmtpClient client = Clients.to(original.address(), other.address()).listener(new SendListener() {
        @Override
        public void connecting(int attempt, java.net.InetSocketAddress address) {
          tried.add(attempt + ":" + address.getPort());
          if (attempt == 2 && address.equals(original.address())) {
            try {
              original.refuseConnections();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        }
      }).build();
      SendResult result = client.send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(tried).containsExactly("1:" + original.address().getPort(), "2:" + original.address().getPort(),
          "2:" + other.address().getPort());
      assertThat(original.deliveries).isEmpty();
      assertThat(other.deliveries).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(message));
      assertThat(result.octetsSkipped()).isZero();
    }
  }

  @Test
  void triesTheOriginalAddressFirstEvenWhenItIsListedLast() throws Exception {
    byte[] message = Clients.message(80_000, 27);
    try (FakeSmtpServer first = FakeSmtpServer.withCheckpoint(); FakeSmtpServer second = FakeSmtpServer.withCheckpoint()) {
      first.refuseConnections(); // the break happens on the second address, which then holds the state
      second.fault(Fault.cutData(40_000));
      SendResult result = Clients.to(first.address(), second.address()).build()
          .send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(second.connections()).isEqualTo(2);
      assertThat(second.deliveries).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(message));
      assertThat(result.octetsSkipped()).isPositive();
    }
  }

  @Test
  void givesUpAfterMaxAttemptsAndKeepsStateForALaterResume() throws Exception {
    byte[] message = Clients.message(50_000, 28);
    Path state = tmp.resolve("state");
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      server.fault(Fault.cutData(20_000)).fault(Fault.cutData(30_000));
      SmtpClient impatient = Clients.to(server.address()).stateDirectory(state)
          .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), 1)).build();
      assertThatThrownBy(() -> impatient.send(Clients.ENVELOPE, MessageSource.of(message)))
          .isInstanceOf(GaveUpException.class).hasMessageContaining("gave up after 2 attempts");
      try (var files = Files.list(state)) {
        assertThat(files).hasSize(1);
      }
      // A new client (a new process, as far as the client knows) finds the state and resumes.
      SendResult result = Clients.to(server.address()).stateDirectory(state).ehloName("other.name").build()
          .send(Clients.ENVELOPE, MessageSource.of(message));
      assertThat(result.octetsSkipped()).isPositive();
      assertThat(server.deliveries).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(message));
      assertThat(server.commands).filteredOn(c -> c.startsWith("EHLO")).containsOnly("EHLO client.test");
      try (var files = Files.list(state)) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void transientReplyToMailMovesOnAndRetries() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.withCheckpoint()) {
      server.fault(Fault.mailReply("451 4.3.0 transaction busy"));
      SendResult result = Clients.to(server.address()).build()
          .send(Clients.ENVELOPE, MessageSource.of(Clients.message(900, 29)));
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(server.deliveries).hasSize(1);
    }
  }
}

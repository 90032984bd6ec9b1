package dev.relaypoint.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  private final MockTicker ticker = Ticker.newMockTicker();
  private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
  private final AtomicInteger expired = new AtomicInteger();
  private final Deadline deadline = new Deadline(channel.eventLoop(), expired::incrementAndGet);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void advance(long seconds) {
    ticker.advance(seconds, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void expiresOnceWhenNotMovedOn() {
    deadline.arm(Duration.ofSeconds(10));
    advance(9);
    assertThat(expired).hasValue(0);
    advance(1);
    assertThat(expired).hasValue(1);
    advance(100);
    assertThat(expired).hasValue(1);
  }

  @Test
  void movingItOnPostponesExpiry() {
    deadline.arm(Duration.ofSeconds(10));
    advance(8);
    deadline.arm(Duration.ofSeconds(10)); // a command arrived: 10 s from now, not from the start
    advance(8);
    assertThat(expired).hasValue(0);
    advance(2);
    assertThat(expired).hasValue(1);
  }

  @Test
  void aShorterTimeoutTakesEffectAtOnce() {
    deadline.arm(Duration.ofSeconds(600)); // data block timeout
    deadline.arm(Duration.ofSeconds(5)); // then waiting for a command
    advance(5);
    assertThat(expired).hasValue(1);
  }

  @Test
  void canBeArmedAgainFromTheExpiryAction() {
    AtomicInteger calls = new AtomicInteger();
    Deadline[] self = new Deadline[1];
    self[0] = new Deadline(channel.eventLoop(), () -> {
      if (calls.incrementAndGet() == 1) {
        self[0].arm(Duration.ofSeconds(3)); // the disk was busy: wait again
      }
    });
    self[0].arm(Duration.ofSeconds(1));
    advance(1);
    assertThat(calls).hasValue(1);
    advance(3);
    assertThat(calls).hasValue(2);
  }

  @Test
  void cancelledNeverExpires() {
    deadline.arm(Duration.ofSeconds(1));
    deadline.cancel();
    advance(10);
    assertThat(expired).hasValue(0);
  }
}

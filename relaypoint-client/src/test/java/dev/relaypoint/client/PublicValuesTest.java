package dev.relaypoint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PublicValuesTest {

  @Test
  void retryDelaysGrowExponentiallyUpToTheCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(2), Duration.ofSeconds(30), 2);
    assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delayAfter(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.delayAfter(9)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryPolicy.mta().minDelay()).isEqualTo(Duration.ofMinutes(30));
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timeoutsDefaultToRfc5321() {
    Timeouts t = Timeouts.rfc5321();
    assertThat(t.greeting()).isEqualTo(Duration.ofMinutes(5));
    assertThat(t.command()).isEqualTo(Duration.ofMinutes(5));
    assertThat(t.dataInit()).isEqualTo(Duration.ofMinutes(2));
    assertThat(t.dataBlock()).isEqualTo(Duration.ofMinutes(3));
    assertThat(t.finalReply()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void parsesServerDestinations() {
    assertThat(Destination.parseServer("mx.test")).isEqualTo(new Destination.Server("mx.test", 25));
    assertThat(Destination.parseServer("mx.test:2525")).isEqualTo(new Destination.Server("mx.test", 2525));
    assertThat(Destination.parseServer("[::1]:2525")).isEqualTo(new Destination.Server("::1", 2525));
    assertThat(Destination.parseServer("::1")).isEqualTo(new Destination.Server("::1", 25));
    assertThatThrownBy(() -> Destination.parseServer("mx.test:99999")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Destination.mx("Example.ORG")).isEqualTo(new Destination.Mx("example.org", 25));
  }

  @Test
  void builderRejectsBadEhloNames() {
    assertThatThrownBy(() -> SmtpClient.newBuilder().ehloName("bad name")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpClient.newBuilder().ehloName("x\r\nRSET")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpClient.newBuilder().build()).isInstanceOf(NullPointerException.class);
  }
}

package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.client.Destination;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Route decisions (first match wins) and the retry schedule (backoff, cap, jitter bounds). */
class RoutingAndScheduleTest {

  @Test
  void localThenStaticRouteThenSmarthostThenMx() {
    Router mx = new Router(Set.of("Local.Test"), LocalDelivery.MAILDIR,
        Map.of("Example.org", new Route.Remote(Destination.server("127.0.0.1", 2526))), Optional.empty(), 25);
    assertThat(mx.route("a@LOCAL.test.")).isEqualTo(new Route.Local());
    assertThat(mx.route("a@example.ORG")).isEqualTo(new Route.Remote(Destination.server("127.0.0.1", 2526)));
    assertThat(mx.route("a@sub.example.org")).isEqualTo(new Route.Remote(new Destination.Mx("sub.example.org", 25)));
    Router smart = new Router(Set.of("local.test"), LocalDelivery.MAILDIR, Map.of(),
        Optional.of(Destination.server("relay.test", 587)), 25);
    assertThat(smart.route("a@far.test")).isEqualTo(new Route.Remote(Destination.server("relay.test", 587)));
    assertThat(smart.isLocal("x@local.test")).isTrue();
  }

  @Test
  void localDomainsAreDiscardedWhenLocalDeliveryIsDiscardAndStayLocal() {
    Router r = new Router(Set.of("local.test"), LocalDelivery.DISCARD,
        Map.of("example.org", new Route.Remote(Destination.server("127.0.0.1", 2526))), Optional.empty(), 25);
    assertThat(r.route("a@Local.Test.")).isEqualTo(new Route.Discard());
    assertThat(r.isLocal("a@local.test")).as("bounces to a local sender keep the local form").isTrue();
    assertThat(r.route("a@example.org")).isEqualTo(new Route.Remote(Destination.server("127.0.0.1", 2526)));
    assertThat(r.route("a@far.test")).isEqualTo(new Route.Remote(new Destination.Mx("far.test", 25)));
    assertThat(LocalDelivery.parse(" Discard ")).isEqualTo(LocalDelivery.DISCARD);
    assertThat(LocalDelivery.parse("maildir")).isEqualTo(LocalDelivery.MAILDIR);
    assertThatThrownBy(() -> LocalDelivery.parse("mbox")).hasMessage("must be maildir or discard, not 'mbox'");
  }

  @Test
  void aStaticRouteCanDiscardButNeverDeliverToMaildir() {
    Router r = new Router(Set.of("local.test"), LocalDelivery.MAILDIR, Map.of("Example.ORG", new Route.Discard()),
        Optional.of(Destination.server("relay.test", 587)), 25);
    assertThat(r.route("a@example.org.")).as("before the smarthost").isEqualTo(new Route.Discard());
    assertThat(r.isLocal("a@example.org")).as("a discard route does not make a domain local").isFalse();
    assertThat(r.route("a@sub.example.org")).isEqualTo(new Route.Remote(Destination.server("relay.test", 587)));
    assertThat(r.route("a@local.test")).isEqualTo(new Route.Local());
    assertThatThrownBy(() -> QueueManagerConfig.newBuilder().route("example.org", new Route.Local()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Maildir is only for local domains");
  }

  @Test
  void backoffDoublesUpToTheCapAndJitterStaysWithinBounds() {
    RetrySchedule exact = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(4), 0, Duration.ofDays(5));
    SplittableRandom r = new SplittableRandom(1);
    assertThat(exact.delayAfter(1, r)).isEqualTo(Duration.ofMinutes(5));
    assertThat(exact.delayAfter(2, r)).isEqualTo(Duration.ofMinutes(10));
    assertThat(exact.delayAfter(6, r)).isEqualTo(Duration.ofMinutes(160));
    assertThat(exact.delayAfter(7, r)).isEqualTo(Duration.ofHours(4));
    assertThat(exact.delayAfter(1000, r)).isEqualTo(Duration.ofHours(4));
    for (int i = 0; i < 1000; i++) {
      Duration d = RetrySchedule.DEFAULT.delayAfter(1, r);
      assertThat(d).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
    }
    assertThatThrownBy(() -> new RetrySchedule(Duration.ofHours(1), Duration.ofMinutes(1), 0, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), 0.9, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queueControlRequestsParseAndFormat() {
    assertThat(QueueControl.Request.parse("flush").format()).isEqualTo("flush");
    assertThat(QueueControl.Request.parse("hold 1m8jxmmhk000vztm\n").queueId()).contains("1m8jxmmhk000vztm");
    assertThatThrownBy(() -> QueueControl.Request.parse("hold")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueueControl.Request.parse("flush x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueueControl.Request.parse("purge x")).hasMessageContaining("unknown queue operation");
    assertThat(QueueControl.Answer.parse("UNKNOWN_ID no such queue id: x").outcome())
        .isEqualTo(QueueControl.Answer.Outcome.UNKNOWN_ID);
  }
}

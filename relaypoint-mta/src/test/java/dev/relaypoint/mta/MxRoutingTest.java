package dev.relaypoint.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.client.AddressResolver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MX routing against a DNS server started by the test: preference order (with a dead best MX), the
 * A fallback for a domain without MX, and null MX (RFC 7505) and NXDOMAIN bounced at once.
 * Two receivers share one port on 127.0.0.1 and 127.0.0.2; nothing listens on 127.0.0.3.
 */
class MxRoutingTest {

  @TempDir Path dir;
  private TestDnsServer dns;
  private SinkServer one;
  private SinkServer two;
  private TestRelay relay;

  @BeforeEach
  void start() throws Exception {
    one = SinkServer.start();
    two = new SinkServer(new InetSocketAddress("127.0.0.2", one.port()));
    dns = new TestDnsServer().a("mx1.test", "127.0.0.1").a("mx2.test", "127.0.0.2").a("dead.test", "127.0.0.3")
        .mx("pref.test", 20, "mx1.test").mx("pref.test", 10, "mx2.test")
        .mx("failover.test", 5, "dead.test").mx("failover.test", 50, "mx1.test")
        .a("plain.test", "127.0.0.1")
        .mx("nullmx.test", 0, ".");
    relay = new TestRelay(dir, b -> b.resolver(AddressResolver.dns(dns.address())).mxPort(one.port())).start();
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    dns.close();
    one.close();
    two.close();
  }

  @Test
  void lowestPreferenceFirst() throws Exception {
    String qid = relay.enqueue("s@local.test", List.of("u@pref.test"), QueueManagerTest.MESSAGE);
    await().atMost(Duration.ofSeconds(15)).until(() -> relay.store.locate(qid).isEmpty());
    assertThat(two.received).hasSize(1);
    assertThat(one.received).isEmpty();
  }

  @Test
  void unreachableBestMxFallsThroughToTheNext() throws Exception {
    String qid = relay.enqueue("s@local.test", List.of("u@failover.test"), QueueManagerTest.MESSAGE);
    await().atMost(Duration.ofSeconds(15)).until(() -> relay.store.locate(qid).isEmpty());
    assertThat(one.received).hasSize(1);
  }

  @Test
  void domainWithoutMxGetsItsAddressRecord() throws Exception {
    String qid = relay.enqueue("s@local.test", List.of("u@plain.test"), QueueManagerTest.MESSAGE);
    await().atMost(Duration.ofSeconds(15)).until(() -> relay.store.locate(qid).isEmpty());
    assertThat(one.received).hasSize(1);
    assertThat(one.received.get(0).recipients()).containsExactly("u@plain.test");
  }

  @Test
  void nullMxAndNxdomainBounceWithoutRetrying() throws Exception {
    String qid = relay.enqueue("s@local.test", List.of("u@nullmx.test", "v@nx.test"), QueueManagerTest.MESSAGE);
    await().atMost(Duration.ofSeconds(15)).until(() -> relay.store.locate(qid).isEmpty()
        && relay.mailbox("s@local.test").size() == 1);
    String bounce = Files.readString(relay.mailbox("s@local.test").get(0));
    assertThat(bounce).contains("Final-Recipient: rfc822; u@nullmx.test", "null MX",
        "Final-Recipient: rfc822; v@nx.test", "no such domain", "Status: 5.1.2");
    assertThat(one.received).isEmpty();
    assertThat(two.received).isEmpty();
  }
}

package dev.relaypoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relaypoint.testkit.TestMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relaypoint and a real, private Postfix instance in both directions: Relaypoint relays to Postfix's
 * smtpd through a static route, and Postfix (as a client with {@code relayhost}) relays into Relaypoint.
 */
@Tag("interop")
class PostfixInteropIT {

  static final Duration DELIVERY = Duration.ofSeconds(60);

  @TempDir Path tmp;

  /** The body (after the first empty line) with LF line ends. */
  private static String unixBody(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    return text.substring(text.indexOf("\r\n\r\n") + 4).replace("\r\n", "\n");
  }

  @Test
  void relaypointDeliversToPostfixAndPostfixRelaysIntoRelaypoint() throws Exception {
    byte[] toPostfix = TestMessages.generate(2 << 20, 11);
    byte[] toRelaypoint = TestMessages.generate(1 << 20, 12);
    // rp receives from Postfix (its relayhost); relay sends to Postfix through a static route.
    try (ServerProcess rp = RelayNodes.node(tmp.resolve("rp"), "rp.test")) {
      try (PrivatePostfix pf = PrivatePostfix.start(tmp.resolve("postfix"), rp.port());
          ServerProcess relay = RelayNodes.node(tmp.resolve("relay"), "relay.test", "routes:",
              "  pf.test: 127.0.0.1:" + pf.port())) {
        RelayNodes.submit(relay.port(), "alice@relay.test", List.of("bob@pf.test"), toPostfix);
        List<Path> got = await().atMost(DELIVERY).until(pf::delivered, l -> !l.isEmpty());
        byte[] delivered = Files.readAllBytes(got.get(0));
        // Postfix adds missing Date/From headers inside the header section and stores LF line ends:
        // the header we sent and the whole body must be there unchanged.
        String got0 = new String(delivered, StandardCharsets.ISO_8859_1);
        assertThat(got0).contains("\nSubject: relaypoint test message 11\n").endsWith(unixBody(toPostfix));
        assertThat(got0.substring(0, 4000))
            .contains("by mx.relay.test (Relaypoint)");

        RelayNodes.submit(pf.port(), "carol@client.test", List.of("dave@rp.test"), toRelaypoint);
        Path inRp = RelayNodes.awaitMail(tmp.resolve("rp"), "dave", "rp.test", DELIVERY).get(0);
        String got1 = new String(Files.readAllBytes(inRp), StandardCharsets.ISO_8859_1);
        assertThat(got1).contains("\r\nSubject: relaypoint test message 12\r\n")
            .endsWith(unixBody(toRelaypoint).replace("\n", "\r\n"));
        assertThat(pf.log()).contains("relay=127.0.0.1[127.0.0.1]:" + rp.port()).contains("status=sent");
      }
    }
  }
}

package dev.relaypoint.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.jakarta.example.SendWithJakartaMail;
import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.server.SmtpServer;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.QueuedMessage;
import dev.relaypoint.testkit.CutMode;
import dev.relaypoint.testkit.Direction;
import dev.relaypoint.testkit.FaultPlan;
import dev.relaypoint.testkit.FaultProxy;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jakarta Mail code, unchanged but for properties, sends through Relaypoint to the Relaypoint server. */
@Tag("interop")
class RelaypointTransportIT {

  @TempDir
  Path tmp;

  @Test
  void providerIsFoundByProtocolName() throws Exception {
    Properties props = new Properties();
    props.put("mail.transport.protocol", "relaypoint");
    Transport transport = Session.getInstance(props).getTransport();
    assertThat(transport).isInstanceOf(RelaypointTransport.class);
  }

  @Test
  void sendsThroughABrokenLinkAndTheMessageArrivesOnce() throws Exception {
    try (FileStore store = FileStore.open(FileStoreConfig.builder(tmp).build());
        SmtpServer server = SmtpServer.newBuilder().config(ServerConfig.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0)).hostname("server.test")
            .localDomains(List.of("server.test")).build()).queue(store).checkpoints(store).build().start();
        FaultProxy proxy = FaultProxy.start(server.address())) {
      String text = "line of text for the example\r\n".repeat(20_000);
      proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 300_000, CutMode.RST));
      SendWithJakartaMail.send("127.0.0.1", proxy.port(), "app@client.test", "bob@server.test", text);

      assertThat(proxy.connectionCount()).isEqualTo(2);
      List<String> ids = store.list();
      assertThat(ids).hasSize(1);
      try (QueuedMessage m = store.open(ids.get(0))) {
        ByteBuffer buf = ByteBuffer.allocate((int) m.size());
        while (buf.hasRemaining() && m.channel().read(buf, m.dataStart() + buf.position()) > 0) {
          // read the whole (small) test message
        }
        String received = new String(buf.array(), StandardCharsets.US_ASCII);
        assertThat(received).contains("Subject: Relaypoint example").endsWith(text);
        assertThat(m.envelope().toString()).contains("app@client.test");
      }
    }
  }

  @Test
  void refusedRecipientBecomesSendFailedException() throws Exception {
    try (FileStore store = FileStore.open(FileStoreConfig.builder(tmp).build());
        SmtpServer server = SmtpServer.newBuilder().config(ServerConfig.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0)).hostname("server.test")
            .localDomains(List.of("server.test")).trustedNetworks(List.of()).build())
            .queue(store).checkpoints(store).build().start()) {
      assertThatThrownBy(() -> SendWithJakartaMail.send("127.0.0.1", server.address().getPort(), "app@client.test",
          "someone@elsewhere.test", "x"))
          .isInstanceOf(SendFailedException.class);
    }
  }
}

package dev.relaypoint.client;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the TLS events of a send: "started TLSv1.3" or "skipped: reason". */
final class TlsRecorder implements SendListener {

  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void tlsStarted(InetSocketAddress address, String protocol, String cipherSuite) {
    events.add("started " + protocol);
  }

  @Override
  public void tlsSkipped(InetSocketAddress address, String reason) {
    events.add("skipped: " + reason);
  }
}

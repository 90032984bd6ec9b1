package dev.relaypoint.mta;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, ephemeral port) built from dnsjava's message
 * classes, for routing tests: a name with records of another type answers NOERROR without answers
 * (NODATA), an unknown name answers NXDOMAIN.
 */
final class TestDnsServer implements AutoCloseable {

  private final DatagramSocket socket;
  private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();

  TestDnsServer() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    Thread t = new Thread(this::serve, "test-dns");
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
  }

  TestDnsServer a(String host, String ip) throws IOException {
    return add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(ip)));
  }

  TestDnsServer mx(String domain, int preference, String target) {
    return add(new MXRecord(name(domain), DClass.IN, 60, preference, name(target)));
  }

  private TestDnsServer add(Record r) {
    zone.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
    return this;
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s.endsWith(".") ? s : s + ".");
    } catch (IOException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  private void serve() {
    byte[] buf = new byte[1500];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        Record q = query.getQuestion();
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.AA);
        answer.addRecord(q, Section.QUESTION);
        List<Record> records = zone.get(q.getName());
        if (records == null) {
          answer.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
          records.stream().filter(r -> r.getType() == q.getType()).forEach(r -> answer.addRecord(r, Section.ANSWER));
        }
        byte[] wire = answer.toWire();
        socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
      } catch (IOException e) {
        // closed, or a malformed query: ignore it
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}

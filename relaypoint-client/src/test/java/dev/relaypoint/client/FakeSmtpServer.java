package dev.relaypoint.client;

import dev.relaypoint.smtp.wire.DataDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small scriptable SMTP server for client tests: optionally advertises CHECKPOINT and keeps RFC 1845
 * state in memory (line-aligned offsets, a completion tombstone until QUIT/RSET/MAIL), and injects
 * faults per connection: cut after N data octets, drop the final reply, or answer MAIL with a given
 * line. Receives data through the strict {@link DataDecoder}, so a client wire error fails the test.
 * With a {@link StartTls} script it offers STARTTLS and answers it with raw bytes of the test's choice.
 */
final class FakeSmtpServer implements Closeable {

  /** What to do to one connection; taken in order, one per connection. */
  record Fault(long cutAfterDataOctets, boolean dropFinalReply, String mailReply) {
    static Fault none() {
      return new Fault(-1, false, null);
    }

    static Fault cutData(long octets) {
      return new Fault(octets, false, null);
    }

    static Fault loseFinalReply() {
      return new Fault(-1, true, null);
    }

    static Fault mailReply(String line) {
      return new Fault(-1, false, line);
    }
  }

  /**
   * How STARTTLS goes: {@code reply} is written raw in one write; if it starts with 220, a handshake
   * follows with {@code context} (null: hang up instead). {@code checkpointInsideTlsOnly} hides
   * CHECKPOINT from the plaintext EHLO.
   */
  record StartTls(String reply, SSLContext context, boolean checkpointInsideTlsOnly) {}

  record Delivery(String sender, List<String> recipients, byte[] data, String queueId, String mailCommand) {}

  private static final class Checkpoint {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    long aligned;
    boolean dataStarted;
    String queueId;
  }

  private final ServerSocket socket;
  private final boolean checkpoint;
  private final boolean pipelining;
  private final String extraEhlo;
  private volatile StartTls startTls;
  private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final List<ByteArrayOutputStream> transcripts = new CopyOnWriteArrayList<>();
  final List<String> commands = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private int queueSeq;

  FakeSmtpServer(boolean checkpoint, boolean pipelining, String extraEhlo) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.checkpoint = checkpoint;
    this.pipelining = pipelining;
    this.extraEhlo = extraEhlo;
    acceptor = new Thread(this::acceptLoop, "fake-smtp-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static FakeSmtpServer withCheckpoint() throws IOException {
    return new FakeSmtpServer(true, true, null);
  }

  static FakeSmtpServer plain() throws IOException {
    return new FakeSmtpServer(false, true, null);
  }

  FakeSmtpServer startTls(StartTls script) {
    this.startTls = script;
    return this;
  }

  FakeSmtpServer fault(Fault f) {
    faults.add(f);
    return this;
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  int connections() {
    return transcripts.size();
  }

  /** Closes the listener: later connections are refused. */
  void refuseConnections() throws IOException {
    socket.close();
    try {
      acceptor.join(5000); // the listening socket is only really closed once accept() has returned
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        Fault f = faults.isEmpty() ? Fault.none() : faults.poll();
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        transcripts.add(transcript);
        Thread t = new Thread(() -> serve(s, f, transcript), "fake-smtp-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, Fault fault, ByteArrayOutputStream transcript) {
    try (s) {
      InputStream in = new RecordingInput(s.getInputStream(), transcript);
      OutputStream out = s.getOutputStream();
      reply(out, "220 fake ESMTP");
      String ehlo = null;
      boolean tls = false;
      String key = null;
      String mailCommand = null;
      String sender = null;
      List<String> rcpts = new ArrayList<>();
      long resumeFrom = -1;
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        commands.add(line);
        String upper = line.toUpperCase();
        if (upper.startsWith("EHLO ")) {
          ehlo = line.substring(5);
          StringBuilder r = new StringBuilder("250-fake\r\n");
          if (pipelining) {
            r.append("250-PIPELINING\r\n");
          }
          if (checkpoint && (tls || startTls == null || !startTls.checkpointInsideTlsOnly())) {
            r.append("250-CHECKPOINT\r\n");
          }
          if (startTls != null && !tls) {
            r.append("250-STARTTLS\r\n");
          }
          if (extraEhlo != null) {
            r.append("250-").append(extraEhlo).append("\r\n");
          }
          r.append("250 8BITMIME");
          reply(out, r.toString());
        } else if (upper.startsWith("MAIL FROM:")) {
          forgetCompleted(key);
          rcpts.clear();
          resumeFrom = -1;
          mailCommand = line;
          sender = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
          key = null;
          int t = line.indexOf(" TRANSID=");
          if (t >= 0) {
            key = ehlo + " " + line.substring(t + 9).split(" ")[0];
          }
          if (fault.mailReply() != null) {
            reply(out, fault.mailReply());
            if (fault.mailReply().startsWith("355")) {
              resumeFrom = Long.parseLong(fault.mailReply().substring(4).split(" ")[0].replaceAll("\\D", "0"));
            }
            continue;
          }
          Checkpoint cp = key == null ? null : checkpoints.get(key);
          if (cp != null && cp.dataStarted) {
            long offset = cp.queueId != null ? cp.data.size() : cp.aligned;
            resumeFrom = offset;
            reply(out, "355 " + offset + " is the transaction offset");
          } else {
            if (key != null) {
              checkpoints.put(key, new Checkpoint());
            }
            reply(out, "250 2.1.0 Ok");
          }
        } else if (upper.startsWith("RCPT TO:")) {
          if (resumeFrom >= 0) {
            reply(out, "503 5.5.1 RCPT after 355");
            continue;
          }
          String r = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
          if (r.startsWith("reject")) {
            reply(out, "550 5.1.1 no such user");
          } else if (r.startsWith("defer")) {
            reply(out, "450 4.2.1 try later");
          } else {
            rcpts.add(r);
            reply(out, "250 2.1.5 Ok");
          }
        } else if (upper.equals("DATA")) {
          Checkpoint cp = key == null ? new Checkpoint() : checkpoints.computeIfAbsent(key, k -> new Checkpoint());
          if (resumeFrom < 0 && rcpts.isEmpty()) {
            reply(out, "554 5.5.1 no valid recipients");
            continue;
          }
          if (resumeFrom >= 0 && key != null && cp.data.size() > resumeFrom) {
            byte[] keep = Arrays.copyOf(cp.data.toByteArray(), (int) resumeFrom);
            cp.data.reset();
            cp.data.writeBytes(keep);
          }
          reply(out, "354 go ahead" + (resumeFrom > 0 ? " from octet " + resumeFrom : ""));
          cp.dataStarted = true;
          if (!receiveData(in, s, cp, fault, Math.max(0, resumeFrom))) {
            return;
          }
          if (cp.queueId == null) {
            cp.queueId = "Q" + (++queueSeq);
            deliveries.add(new Delivery(sender, List.copyOf(rcpts), cp.data.toByteArray(), cp.queueId, mailCommand));
          }
          if (fault.dropFinalReply()) {
            return;
          }
          reply(out, "250 2.0.0 Ok: queued as " + cp.queueId);
          if (key == null) {
            continue;
          }
        } else if (upper.equals("STARTTLS") && startTls != null && !tls) {
          out.write(startTls.reply().getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (!startTls.reply().startsWith("220")) {
            continue;
          }
          if (startTls.context() == null) {
            return;
          }
          SSLSocket t = (SSLSocket) startTls.context().getSocketFactory().createSocket(s, null, s.getPort(), true);
          t.setUseClientMode(false);
          t.startHandshake();
          in = new RecordingInput(t.getInputStream(), transcript);
          out = t.getOutputStream();
          tls = true;
          ehlo = null;
          commands.add("-- TLS " + t.getSession().getProtocol());
        } else if (upper.equals("QUIT")) {
          forgetCompleted(key);
          reply(out, "221 bye");
          return;
        } else if (upper.equals("RSET")) {
          forgetCompleted(key);
          reply(out, "250 Ok");
        } else {
          reply(out, "502 5.5.2 unknown command");
        }
      }
    } catch (IOException e) {
      // the client went away: the checkpoint stays, as on a real server
    }
  }

  private void forgetCompleted(String key) {
    if (key != null) {
      Checkpoint cp = checkpoints.get(key);
      if (cp != null && cp.queueId != null) {
        checkpoints.remove(key);
      }
    }
  }

  /** Returns false when the connection was cut. */
  private boolean receiveData(InputStream in, Socket s, Checkpoint cp, Fault fault, long offset) throws IOException {
    DataDecoder decoder = new DataDecoder(100_000, offset);
    byte[] buf = new byte[8192];
    long wire = 0;
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    while (true) {
      int max = buf.length;
      if (fault.cutAfterDataOctets() >= 0) {
        max = (int) Math.min(max, fault.cutAfterDataOctets() - wire);
        if (max <= 0) {
          commitAligned(cp, pending, decoder);
          s.close();
          return false;
        }
      }
      int n = in.read(buf, 0, max);
      if (n < 0) {
        commitAligned(cp, pending, decoder);
        return false;
      }
      wire += n;
      ByteBuf b = Unpooled.wrappedBuffer(buf, 0, n);
      DataDecoder.Status st = decoder.decode(b, slice -> {
        byte[] c = new byte[slice.readableBytes()];
        slice.getBytes(slice.readerIndex(), c);
        pending.writeBytes(c);
      });
      if (st == DataDecoder.Status.BARE_NEWLINE) {
        throw new IllegalStateException("client sent a bare CR or LF in DATA");
      }
      if (st == DataDecoder.Status.END) {
        if (cp.queueId != null && pending.size() > 0) {
          throw new IllegalStateException("client sent data beyond the completed total");
        }
        cp.data.writeBytes(pending.toByteArray());
        cp.aligned = cp.data.size();
        if (b.isReadable()) {
          throw new IllegalStateException("client pipelined past the final dot");
        }
        return true;
      }
    }
  }

  /** Keeps only complete lines, as a real server's offset does. */
  private static void commitAligned(Checkpoint cp, ByteArrayOutputStream pending, DataDecoder decoder) {
    byte[] all = pending.toByteArray();
    long alignedInPending = decoder.lineAlignedSize() - cp.data.size();
    cp.data.write(all, 0, (int) Math.max(0, Math.min(all.length, alignedInPending)));
    cp.aligned = cp.data.size();
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IllegalStateException("bare CR in command");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b == '\n') {
        throw new IllegalStateException("bare LF in command");
      }
      line.write(b);
    }
  }
}

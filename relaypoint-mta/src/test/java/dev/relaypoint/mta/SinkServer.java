package dev.relaypoint.mta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny scripted SMTP receiver for queue tests: advertises CHECKPOINT (but never restarts), answers
 * each RCPT with {@code policy(address)}, records every MAIL line and every accepted message. Test
 * code only; the real receiver is tested in relaypoint-server.
 */
final class SinkServer implements AutoCloseable {

  /** One accepted message. */
  record Received(String mailLine, List<String> recipients, byte[] data) {
    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private final ServerSocket socket;
  private volatile Function<String, String> policy = a -> "250 2.1.5 ok";
  final List<String> mailLines = new CopyOnWriteArrayList<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  SinkServer(InetSocketAddress bind) throws IOException {
    socket = new ServerSocket();
    socket.bind(bind);
    Thread t = new Thread(this::accept, "sink-" + socket.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  static SinkServer start() throws IOException {
    return new SinkServer(new InetSocketAddress("127.0.0.1", 0));
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Sets the RCPT reply per address, e.g. {@code a -> a.startsWith("x") ? "550 5.1.1 no" : "250 ok"}. */
  SinkServer policy(Function<String, String> p) {
    this.policy = p;
    return this;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "sink-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      reply(out, "220 sink.test ESMTP");
      String mail = null;
      List<String> rcpts = new ArrayList<>();
      for (String line = line(in); line != null; line = line(in)) {
        String upper = line.toUpperCase();
        if (upper.startsWith("EHLO")) {
          reply(out, "250-sink.test\r\n250-CHECKPOINT\r\n250 8BITMIME");
        } else if (upper.startsWith("MAIL")) {
          mail = line;
          rcpts.clear();
          mailLines.add(line);
          reply(out, "250 2.1.0 ok");
        } else if (upper.startsWith("RCPT")) {
          String a = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
          String r = policy.apply(a);
          if (r.startsWith("2")) {
            rcpts.add(a);
          }
          reply(out, r);
        } else if (upper.equals("DATA")) {
          reply(out, "354 go ahead");
          ByteArrayOutputStream data = new ByteArrayOutputStream();
          for (String l = line(in); l != null && !l.equals("."); l = line(in)) {
            data.writeBytes((l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.UTF_8));
            data.writeBytes(new byte[] {'\r', '\n'});
          }
          received.add(new Received(mail, List.copyOf(rcpts), data.toByteArray()));
          reply(out, "250 2.0.0 queued as SINK" + received.size());
        } else if (upper.equals("QUIT")) {
          reply(out, "221 bye");
          return;
        } else {
          reply(out, upper.equals("RSET") || upper.equals("NOOP") ? "250 ok" : "502 5.5.1 no");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (prev == '\r' && c == '\n') {
        byte[] a = b.toByteArray();
        return new String(a, 0, a.length - 1, StandardCharsets.UTF_8);
      }
      b.write(c);
      prev = c;
    }
    return null;
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

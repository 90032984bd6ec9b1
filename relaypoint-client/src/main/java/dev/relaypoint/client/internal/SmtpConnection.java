package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.wire.ReplyReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One blocking SMTP connection: strict reply reading with a per-read timeout, buffered command writing
 * (so pipelined commands leave in one segment), and a write timeout. Java socket writes cannot time out
 * by themselves, so a shared watchdog closes the socket when one write blocks longer than the current
 * write timeout (a peer that stopped reading), and the write then fails as a timeout. STARTTLS swaps
 * the streams for TLS ones on the same socket ({@link #startTls}).
 */
public final class SmtpConnection implements Closeable {

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "relaypoint-client-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final Socket plain;
  private volatile Socket socket;
  private InputStream in;
  private OutputStream out;
  private final ReplyReader replies = new ReplyReader();
  private volatile boolean writeTimedOut;
  private long droppedBeforeTls;
  private Duration writeTimeout;

  private SmtpConnection(Socket socket, Duration writeTimeout) throws IOException {
    this.plain = socket;
    this.writeTimeout = writeTimeout;
    attach(socket);
  }

  private void attach(Socket s) throws IOException {
    this.socket = s;
    this.in = new BufferedInputStream(s.getInputStream(), 8192);
    this.out = new BufferedOutputStream(new TimedOutputStream(s.getOutputStream()), 65536);
  }

  public static SmtpConnection open(InetSocketAddress address, Duration connectTimeout, Duration writeTimeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true); // notice a silently dead server during the 10-minute final wait
      socket.connect(address, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
      return new SmtpConnection(socket, writeTimeout);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  public InetSocketAddress remote() {
    return (InetSocketAddress) plain.getRemoteSocketAddress();
  }

  /**
   * Switches to TLS after the server's 220 to STARTTLS. Whatever the server sent after that 220 is
   * plaintext an attacker may have injected (RFC 3207 §5, CVE-2011-0411): it is dropped unread, and
   * the handshake starts on a fresh stream. Returns the number of octets dropped.
   */
  SSLSession startTls(TlsLayer tls, String peerName, Duration timeout) throws IOException {
    out.flush();
    long dropped = 0;
    byte[] scratch = new byte[8192];
    for (int n; (n = in.available()) > 0; ) { // the reader's buffer, then what the kernel already holds
      int r = in.read(scratch, 0, Math.min(n, scratch.length));
      if (r < 0) {
        break;
      }
      dropped += r;
    }
    droppedBeforeTls = dropped;
    SSLSocket tlsSocket = tls.layer(plain, peerName);
    tlsSocket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    attach(tlsSocket);
    // The handshake writes to the socket directly, not through TimedOutputStream: the whole of it is
    // bounded by the same timeout instead (reads already are, by SO_TIMEOUT).
    guarded(timeout, "TLS handshake took longer than", tlsSocket::startHandshake);
    return tlsSocket.getSession();
  }

  /**
   * Runs {@code action}; if it has not returned after {@code timeout}, the watchdog closes the socket
   * and the action's failure is reported as a timeout ({@code what} and the seconds).
   */
  private void guarded(Duration timeout, String what, IoAction action) throws IOException {
    ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
      writeTimedOut = true;
      close();
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      action.run();
    } catch (IOException e) {
      if (writeTimedOut) {
        throw new SocketTimeoutException(what + " " + timeout.toSeconds() + " s");
      }
      throw e;
    } finally {
      alarm.cancel(false);
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** Octets the server sent between its 220 to STARTTLS and the handshake, all discarded. */
  long droppedBeforeTls() {
    return droppedBeforeTls;
  }

  /** Reads one reply, waiting at most {@code timeout} for each chunk of it. */
  public Reply read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    return replies.read(in);
  }

  /** Buffers one command line; it leaves on {@link #flush()}. */
  public void command(String line) throws IOException {
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a command must not contain CR or LF");
    }
    out.write(line.getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** The raw buffered output for message data; writes are bounded by {@code writeTimeout}. */
  public OutputStream dataOutput(Duration timeout) {
    this.writeTimeout = timeout;
    return out;
  }

  /**
   * Closes the TCP socket itself, also under TLS: closing the TLS socket would first try to write a
   * close_notify, which blocks behind a write the watchdog is trying to end.
   */
  @Override
  public void close() {
    try {
      plain.close();
    } catch (IOException ignored) {
      // nothing more to do with a socket we are abandoning
    }
  }

  /** Each write is guarded by the watchdog. */
  private final class TimedOutputStream extends OutputStream {
    private final OutputStream raw;

    TimedOutputStream(OutputStream raw) {
      this.raw = raw;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      guarded(writeTimeout, "write blocked longer than", () -> raw.write(b, off, len));
    }

    @Override
    public void flush() throws IOException {
      raw.flush();
    }
  }
}

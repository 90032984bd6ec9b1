package dev.relaypoint.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb, blocking SMTP client for tests: it sends exactly what it is told and reads replies
 * strictly (CRLF only, consistent multi-line codes). It never pipelines, retries or interprets anything.
 */
public final class SmtpTestClient implements AutoCloseable {

    /** Default connect and read timeout; tests should fail fast rather than hang. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final OutputStream out;
    private final CrlfLineReader in;

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new CrlfLineReader(socket.getInputStream());
    }

    public static SmtpTestClient connect(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port), DEFAULT_TIMEOUT);
    }

    /** Connects with {@code timeout} as both the connect timeout and the initial read timeout. */
    public static SmtpTestClient connect(InetSocketAddress address, Duration timeout) throws IOException {
        return connectFrom(null, address, timeout);
    }

    /**
     * Connects from the local address {@code from} (e.g. 127.0.0.2, to look like another client host on
     * loopback); null lets the system choose.
     */
    public static SmtpTestClient connectFrom(InetSocketAddress from, InetSocketAddress address, Duration timeout)
            throws IOException {
        Socket socket = new Socket();
        try {
            if (from != null) {
                socket.bind(from);
            }
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return new SmtpTestClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sets the read timeout for subsequent reads. */
    public SmtpTestClient readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        return this;
    }

    /** Sends {@code line} plus CRLF. Rejects CR or LF inside the line: use {@link #sendRaw} for that on purpose. */
    public void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("CR or LF inside a command line; use sendRaw: " + Escapes.show(line));
        }
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} exactly as given, in one write. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code line} and reads the reply. */
    public Reply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** Reads one raw reply line without CRLF (e.g. {@code "250-PIPELINING"}). */
    public String readLine() throws IOException {
        return in.readLine();
    }

    /** Reads a complete, possibly multi-line reply. */
    public Reply readReply() throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = in.readLine();
            ReplyLine parsed = ReplyLine.parse(line);
            if (code >= 0 && parsed.code() != code) {
                throw new ProtocolException("reply code changed inside a multi-line reply: " + code + " then "
                        + Escapes.show(line));
            }
            code = parsed.code();
            texts.add(parsed.text());
            if (parsed.last()) {
                return new Reply(code, texts);
            }
        }
    }

    public Socket socket() {
        return socket;
    }

    /** Orderly close (FIN). */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Abortive close (RST), like a crashed client or a dropped link. */
    public void abort() throws IOException {
        if (!socket.isClosed()) {
            socket.setSoLinger(true, 0);
        }
        socket.close();
    }
}

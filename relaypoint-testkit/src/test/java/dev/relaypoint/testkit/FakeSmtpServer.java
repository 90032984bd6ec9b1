package dev.relaypoint.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of an SMTP server with a toy RFC 1845 TRANSID to exercise {@link DialogRunner}: partial DATA is
 * kept (line-aligned) when a connection dies, MAIL with that TRANSID answers 355 with the offset, and a completed
 * TRANSID answers 355 with the total and returns the original queue id. Not a model for the real server.
 */
final class FakeSmtpServer implements AutoCloseable {

    private static final Pattern TRANSID = Pattern.compile("TRANSID=<([^>]+)>");

    record Completed(String queueId, byte[] message) {
    }

    private final TestServer<String> server;
    private final Map<String, ByteArrayOutputStream> partial = new ConcurrentHashMap<>();
    private final Map<String, Completed> completed = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<Completed> queued = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    FakeSmtpServer() throws IOException {
        server = TestServer.start(this::session);
    }

    InetSocketAddress address() {
        return server.address();
    }

    /** Messages actually enqueued (a replayed completion does not add one). */
    List<Completed> queued() {
        return queued;
    }

    private String session(Socket socket) throws IOException {
        CrlfLineReader in = new CrlfLineReader(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        reply(out, "220 fake.test ESMTP");
        String transid = "";
        try {
            while (true) {
                String line = in.readLine();
                String verb = line.split(" ", 2)[0].toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-fake.test\r\n250-PIPELINING\r\n250-CHECKPOINT\r\n250 SIZE 1000000");
                    case "MAIL" -> {
                        Matcher m = TRANSID.matcher(line);
                        transid = m.find() ? m.group(1) : "";
                        synchronized (lock(transid)) { // a cut session may still be appending what it had read
                            if (completed.containsKey(transid)) {
                                reply(out, "355 " + completed.get(transid).message().length + " is the transaction offset");
                            } else if (partial.containsKey(transid)) {
                                reply(out, "355 " + partial.get(transid).size() + " is the transaction offset");
                            } else {
                                reply(out, "250 2.1.0 Ok");
                            }
                        }
                    }
                    case "RCPT" -> reply(out, "250 2.1.5 Ok");
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        data(in, out, transid);
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return "quit";
                    }
                    default -> reply(out, "500 5.5.2 Error: command not recognized");
                }
            }
        } catch (EOFException e) {
            return "eof";
        }
    }

    /** One session at a time per TRANSID, as the real server's lease: the toy's stand-in for it. */
    private Object lock(String transid) {
        return locks.computeIfAbsent(transid, t -> new Object());
    }

    private void data(CrlfLineReader in, OutputStream out, String transid) throws IOException {
        synchronized (lock(transid)) {
            receive(in, out, transid);
        }
    }

    private void receive(CrlfLineReader in, OutputStream out, String transid) throws IOException {
        Completed done = completed.get(transid);
        ByteArrayOutputStream body = done != null ? new ByteArrayOutputStream()
                : partial.computeIfAbsent(transid, t -> new ByteArrayOutputStream());
        try {
            while (true) {
                String line = in.readLine();
                if (line.equals(".")) {
                    break;
                }
                // Lines are appended only once complete, so a cut leaves a line-aligned offset (RFC 1845 §3).
                String unstuffed = line.startsWith(".") ? line.substring(1) : line;
                body.writeBytes((unstuffed + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            if (transid.isEmpty()) {
                partial.remove(transid);
            }
            throw e;
        }
        if (done == null) {
            done = new Completed("Q" + ids.incrementAndGet(), body.toByteArray());
            queued.add(done);
            partial.remove(transid);
            if (!transid.isEmpty()) {
                completed.put(transid, done);
            }
        }
        reply(out, "250 2.0.0 Ok: queued as " + done.queueId());
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

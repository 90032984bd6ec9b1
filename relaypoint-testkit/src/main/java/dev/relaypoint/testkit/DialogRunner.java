package dev.relaypoint.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a {@link DialogScript} against a server, one {@link SmtpTestClient} per {@code ===} connection, and throws
 * an {@link AssertionError} naming the script, line, expectation, actual bytes (CR/LF escaped) and the recent
 * transcript on the first mismatch. Immutable; {@code with*} methods return a copy.
 *
 * <pre>{@code
 * Map<String, String> vars = new DialogRunner(server.address())
 *         .run(DialogScript.fromResource("dialogs/checkpoint/restart.dialog"));
 * }</pre>
 */
public final class DialogRunner {

    private static final int TRANSCRIPT_LINES = 12;

    private final InetSocketAddress target;
    private final Duration stepTimeout;

    public DialogRunner(InetSocketAddress target) {
        this(target, SmtpTestClient.DEFAULT_TIMEOUT);
    }

    private DialogRunner(InetSocketAddress target, Duration stepTimeout) {
        this.target = Objects.requireNonNull(target, "target");
        this.stepTimeout = Objects.requireNonNull(stepTimeout, "stepTimeout");
    }

    /** How long each read (a reply line, or the close) may take before the step fails. */
    public DialogRunner withStepTimeout(Duration timeout) {
        return new DialogRunner(target, timeout);
    }

    /** Runs {@code script}; returns every variable captured (insertion order). */
    public Map<String, String> run(DialogScript script) {
        return run(script, Map.of());
    }

    /** Runs {@code script} with some variables bound up front (e.g. a TRANSID chosen by the test). */
    public Map<String, String> run(DialogScript script, Map<String, String> variables) {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        for (DialogScript.Connection connection : script.connections()) {
            new Session(script, connection, vars).run();
        }
        return vars;
    }

    /** The state of one connection while its steps run. */
    private final class Session {
        private final DialogScript script;
        private final DialogScript.Connection connection;
        private final Map<String, String> vars;
        private final Deque<String> transcript = new ArrayDeque<>();
        private final Map<String, byte[]> messages = new HashMap<>();
        private SmtpTestClient client;
        private int pendingCode; // code of an unfinished multi-line reply, 0 when between replies
        private DialogStep step;

        Session(DialogScript script, DialogScript.Connection connection, Map<String, String> vars) {
            this.script = script;
            this.connection = connection;
            this.vars = vars;
        }

        void run() {
            try {
                client = SmtpTestClient.connect(target, stepTimeout);
            } catch (IOException e) {
                throw new AssertionError(script.name() + ": connection \"" + connection.name()
                        + "\": cannot connect to " + target + ": " + e, e);
            }
            try {
                for (DialogStep s : connection.steps()) {
                    step = s;
                    execute(s);
                }
            } finally {
                try {
                    client.close();
                } catch (IOException e) {
                    // The dialog is over; a close error says nothing about the server.
                }
            }
        }

        private void execute(DialogStep s) {
            try {
                if (s instanceof DialogStep.Send send) {
                    String line = substitute(send.text());
                    record("C: " + line);
                    client.send(line);
                } else if (s instanceof DialogStep.SendRaw raw) {
                    byte[] bytes = Escapes.unescape(substitute(raw.escaped()));
                    record("C~ " + Escapes.show(bytes));
                    client.sendRaw(bytes);
                } else if (s instanceof DialogStep.SendData data) {
                    sendData(data);
                } else if (s instanceof DialogStep.ExpectLine line) {
                    expectLine(line.pattern());
                } else if (s instanceof DialogStep.ExpectReply reply) {
                    expectReply(reply.code());
                } else if (s instanceof DialogStep.ExpectClosed) {
                    expectClosed();
                } else if (s instanceof DialogStep.Cut) {
                    record("!cut");
                    client.abort();
                }
            } catch (SocketTimeoutException e) {
                throw fail("timed out after " + stepTimeout + " waiting for the server", null, null);
            } catch (EOFException e) {
                throw fail("server closed the connection", null, "<closed>");
            } catch (IOException e) {
                throw fail("I/O error: " + e, null, null);
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw fail(e.getMessage(), null, null);
            }
        }

        private void sendData(DialogStep.SendData data) throws IOException {
            int total = Integer.parseInt(substitute(data.total()));
            int from = Integer.parseInt(substitute(data.from()));
            byte[] message = messages.computeIfAbsent(total + "/" + data.seed(),
                    k -> TestMessages.generate(total, data.seed()));
            record("C! octets " + from + ".." + total + " of message seed " + data.seed());
            client.sendRaw(TestMessages.dotStuff(message, from));
        }

        private void expectLine(String pattern) throws IOException {
            String actual = client.readLine();
            record("S: " + actual);
            ReplyLine parsed = parseOrFail(actual);
            if (pendingCode != 0 && parsed.code() != pendingCode) {
                throw fail("reply code changed inside a multi-line reply", pattern, actual);
            }
            Optional<Map<String, String>> captured = ReplyPattern.match(pattern, actual, vars);
            if (captured.isEmpty()) {
                throw fail("reply line mismatch", pattern, actual);
            }
            vars.putAll(captured.get());
            pendingCode = parsed.last() ? 0 : parsed.code();
        }

        private void expectReply(int code) throws IOException {
            while (true) {
                String actual = client.readLine();
                record("S: " + actual);
                ReplyLine parsed = parseOrFail(actual);
                if (parsed.code() != code) {
                    throw fail("reply code mismatch", code + " (whole reply)", actual);
                }
                if (parsed.last()) {
                    pendingCode = 0;
                    return;
                }
                pendingCode = code;
            }
        }

        private void expectClosed() throws IOException {
            String actual;
            try {
                actual = client.readLine();
            } catch (EOFException e) {
                record("S: <closed>");
                return;
            } catch (SocketException e) {
                record("S: <reset>"); // a server closing with unread input resets; still a close
                return;
            }
            record("S: " + actual);
            throw fail("expected the server to close the connection", "<closed>", actual);
        }

        private ReplyLine parseOrFail(String actual) {
            try {
                return ReplyLine.parse(actual);
            } catch (java.net.ProtocolException e) {
                throw fail("malformed reply line", step.source(), actual);
            }
        }

        private String substitute(String text) {
            return ReplyPattern.substitute(text, vars);
        }

        private void record(String entry) {
            String shown = entry.length() > 200 ? entry.substring(0, 200) + "..." : entry;
            transcript.addLast(Escapes.show(shown.getBytes(StandardCharsets.UTF_8)));
            if (transcript.size() > TRANSCRIPT_LINES) {
                transcript.removeFirst();
            }
        }

        private AssertionError fail(String what, String expected, String actual) {
            StringBuilder sb = new StringBuilder()
                    .append(script.name()).append(':').append(step.lineNumber())
                    .append(" [connection \"").append(connection.name()).append("\"]: ").append(what)
                    .append("\n  step:     ").append(step.source());
            if (expected != null) {
                sb.append("\n  expected: ").append(expected);
            }
            if (actual != null) {
                sb.append("\n  actual:   ").append(Escapes.show(actual.getBytes(StandardCharsets.UTF_8)))
                        .append(actual.equals("<closed>") ? "" : "\\r\\n");
            }
            sb.append("\n  transcript (most recent last):");
            for (String t : transcript) {
                sb.append("\n    ").append(t);
            }
            return new AssertionError(sb.toString());
        }
    }
}

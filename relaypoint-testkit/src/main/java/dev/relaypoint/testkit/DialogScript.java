package dev.relaypoint.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A golden SMTP dialog, in the spirit of chasquid's {@code .cmy} files, run by {@link DialogRunner}.
 * One directive per line:
 *
 * <pre>
 * # comment (blank lines are ignored too)
 * === name                  start a new connection (steps before the first === form connection "main")
 * C: EHLO client.example    send the text plus CRLF
 * C~ 'DATA\r\nx\n.\n'       send raw bytes, no CRLF added; escapes \r \n \t \0 \\ \' \xHH
 * C! 100000                 send 100000 octets of generated message data, dot-stuffed (no final ".")
 * C! 100000 from {off} seed 7   send octets [off, 100000) of the message generated with seed 7 (default seed 1)
 * S: 250-PIPELINING         expect one reply line; text may use * and {var}, see below
 * S: 250 2.0.0 Ok: queued as {qid}   capture {qid} (first use captures, later uses must match)
 * S~ 250                    expect a whole reply (or the rest of one) with code 250, text ignored
 * S: &lt;closed&gt;               expect the server to close the connection (EOF or reset)
 * !cut                      abort the client socket with RST (interrupted transfer); ends the connection
 * </pre>
 *
 * <p>In {@code S:} lines the code and separator must match exactly; the text is exact apart from {@code *}
 * (any characters) and {@code {name}} (a bound variable's value, or a capture of non-space characters). If the
 * expected text has no enhanced status code, one in the reply is ignored; if it has one, it must match.
 * {@code {name}} in {@code C:}, {@code C~} and {@code C!} lines is replaced by the variable's value.
 *
 * <p>Scripts load from strings ({@link #parse}) or from classpath resources ({@link #fromResource}), by
 * convention {@code dialogs/<area>/<case>.dialog}.
 */
public final class DialogScript {

    /** The steps of one TCP connection of the dialog. */
    public record Connection(String name, List<DialogStep> steps) {
        public Connection {
            steps = List.copyOf(steps);
        }
    }

    private static final Pattern SEND_DATA =
            Pattern.compile("(\\S+)(?:\\s+from\\s+(\\S+))?(?:\\s+seed\\s+(-?\\d+))?\\s*");
    private static final Pattern CODE = Pattern.compile("[2-5]\\d\\d");

    private final String name;
    private final List<Connection> connections;

    private DialogScript(String name, List<Connection> connections) {
        this.name = name;
        this.connections = List.copyOf(connections);
    }

    /** Where the script came from (a resource path or the name given to {@link #parse}); used in failures. */
    public String name() {
        return name;
    }

    public List<Connection> connections() {
        return connections;
    }

    /** Loads {@code resource} (e.g. {@code "dialogs/checkpoint/restart.dialog"}) from the context class loader. */
    public static DialogScript fromResource(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = DialogScript.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("dialog resource not found: " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dialog " + resource, e);
        }
    }

    /**
     * Parses {@code text}; {@code name} labels failures.
     *
     * @throws IllegalArgumentException with {@code name:line} on a malformed line
     */
    public static DialogScript parse(String name, String text) {
        List<Connection> connections = new ArrayList<>();
        String current = "main";
        List<DialogStep> steps = new ArrayList<>();
        boolean cut = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("===")) {
                if (!steps.isEmpty()) {
                    connections.add(new Connection(current, steps));
                }
                current = trimmed.substring(3).strip();
                steps = new ArrayList<>();
                cut = false;
                continue;
            }
            if (cut) {
                throw error(name, lineNumber, "no steps allowed after !cut until the next ===");
            }
            DialogStep step = parseStep(name, lineNumber, line.stripLeading());
            cut = step instanceof DialogStep.Cut;
            steps.add(step);
        }
        if (!steps.isEmpty()) {
            connections.add(new Connection(current, steps));
        }
        if (connections.isEmpty()) {
            throw new IllegalArgumentException(name + ": dialog has no steps");
        }
        return new DialogScript(name, connections);
    }

    private static DialogStep parseStep(String name, int n, String line) {
        if (line.startsWith("C: ") || line.equals("C:")) {
            return new DialogStep.Send(n, line, line.length() > 3 ? line.substring(3) : "");
        }
        if (line.startsWith("C~ ")) {
            String arg = line.substring(3).strip();
            if (arg.length() < 2 || arg.charAt(0) != '\'' || arg.charAt(arg.length() - 1) != '\'') {
                throw error(name, n, "C~ needs a single-quoted string: " + line);
            }
            String escaped = arg.substring(1, arg.length() - 1);
            try {
                Escapes.unescape(escaped); // validate now, so a typo fails at load time
            } catch (IllegalArgumentException e) {
                throw error(name, n, e.getMessage());
            }
            return new DialogStep.SendRaw(n, line, escaped);
        }
        if (line.startsWith("C! ")) {
            Matcher m = SEND_DATA.matcher(line.substring(3).strip());
            if (!m.matches()) {
                throw error(name, n, "expected C! <octets> [from <offset>] [seed <n>]: " + line);
            }
            long seed = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
            return new DialogStep.SendData(n, line, m.group(1), m.group(2) == null ? "0" : m.group(2), seed);
        }
        if (line.startsWith("S: ")) {
            String pattern = line.substring(3);
            if (pattern.strip().equals("<closed>")) {
                return new DialogStep.ExpectClosed(n, line);
            }
            boolean codeOnly = pattern.length() == 3;
            if (pattern.length() < 3 || !CODE.matcher(pattern.substring(0, 3)).matches()
                    || (!codeOnly && pattern.charAt(3) != ' ' && pattern.charAt(3) != '-')) {
                throw error(name, n, "S: needs a reply code then ' ' or '-': " + line);
            }
            return new DialogStep.ExpectLine(n, line, pattern);
        }
        if (line.startsWith("S~ ")) {
            String code = line.substring(3).strip();
            if (!CODE.matcher(code).matches()) {
                throw error(name, n, "S~ needs a three-digit reply code: " + line);
            }
            return new DialogStep.ExpectReply(n, line, Integer.parseInt(code));
        }
        if (line.strip().equals("!cut")) {
            return new DialogStep.Cut(n, line);
        }
        throw error(name, n, "unknown directive: " + line);
    }

    private static IllegalArgumentException error(String name, int line, String message) {
        return new IllegalArgumentException(name + ":" + line + ": " + message);
    }

    @Override
    public String toString() {
        return "DialogScript{" + name + ", connections=" + connections.size() + '}';
    }
}

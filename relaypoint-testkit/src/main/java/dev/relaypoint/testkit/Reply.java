package dev.relaypoint.testkit;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A complete SMTP reply. {@code lines} holds the text of each reply line without the code and separator, so
 * {@code 250-mx.example\r\n250 SIZE 100\r\n} becomes {@code Reply(250, ["mx.example", "SIZE 100"])}.
 */
public record Reply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?: |$)");

    public Reply {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /** The text of the last line, where single-line replies carry their message. */
    public String lastLine() {
        return lines.get(lines.size() - 1);
    }

    /** All line texts joined with '\n', for readable assertions. */
    public String text() {
        return String.join("\n", lines);
    }

    /** The RFC 3463 enhanced status code at the start of the first line, if present. */
    public Optional<String> enhancedCode() {
        Matcher m = ENHANCED.matcher(lines.get(0));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
            if (i < lines.size() - 1) {
                sb.append("\\r\\n");
            }
        }
        return sb.toString();
    }
}

package dev.relaypoint.testkit;

/**
 * One line of a {@link DialogScript}. {@code lineNumber} and {@code source} (the line as written) are kept so a
 * failure can point at the script.
 */
public sealed interface DialogStep {

    int lineNumber();

    String source();

    /** {@code C: text}: send text plus CRLF (variables substituted). */
    record Send(int lineNumber, String source, String text) implements DialogStep {
    }

    /** {@code C~ 'escaped'}: send the unescaped bytes, no CRLF added (variables substituted first). */
    record SendRaw(int lineNumber, String source, String escaped) implements DialogStep {
    }

    /**
     * {@code C! total [from offset] [seed n]}: send octets {@code [offset, total)} of the canonical message
     * {@link TestMessages#generate(int, long) generate(total, seed)}, dot-stuffed, without the final ".".
     * {@code total} and {@code offset} may be variables such as {@code {off}}.
     */
    record SendData(int lineNumber, String source, String total, String from, long seed) implements DialogStep {
    }

    /** {@code S: 250-text}: expect one reply line matching a {@link ReplyPattern}. */
    record ExpectLine(int lineNumber, String source, String pattern) implements DialogStep {
    }

    /** {@code S~ 250}: expect the (rest of a) whole reply with this code, text ignored. */
    record ExpectReply(int lineNumber, String source, int code) implements DialogStep {
    }

    /** {@code S: <closed>}: expect the server to close the connection (EOF or reset). */
    record ExpectClosed(int lineNumber, String source) implements DialogStep {
    }

    /** {@code !cut}: abort the client socket with RST, like an interrupted transfer. */
    record Cut(int lineNumber, String source) implements DialogStep {
    }
}

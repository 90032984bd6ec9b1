package dev.relaypoint.testkit;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines that must end in CRLF. A bare CR or bare LF is a {@link ProtocolException}, never a line end:
 * tests must notice a server that emits sloppy line endings (SECURITY-TESTS.md §0.1).
 */
final class CrlfLineReader {

    /** Generous cap: RFC 5321 reply lines are at most 512 octets, but tests should see the oversized line. */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;

    CrlfLineReader(InputStream in) {
        this.in = new BufferedInputStream(in);
    }

    /**
     * The next line without its CRLF, decoded as UTF-8 (SMTPUTF8 replies may carry it).
     *
     * @throws EOFException at a clean end of stream before any byte of a line
     * @throws ProtocolException on a bare CR/LF, EOF inside a line, or an overlong line
     */
    String readLine() throws IOException {
        byte[] buf = new byte[128];
        int len = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (len == 0) {
                    throw new EOFException("end of stream");
                }
                throw new ProtocolException("end of stream inside a line: " + Escapes.show(buf, len));
            }
            if (b == '\n') {
                throw new ProtocolException("bare LF after: " + Escapes.show(buf, len));
            }
            if (b == '\r') {
                int next = in.read();
                if (next == '\n') {
                    return new String(buf, 0, len, StandardCharsets.UTF_8);
                }
                throw new ProtocolException("bare CR after: " + Escapes.show(buf, len)
                        + (next < 0 ? " (then EOF)" : " (then " + Escapes.show(new byte[] {(byte) next}, 1) + ")"));
            }
            if (len == MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " octets");
            }
            if (len == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE));
            }
            buf[len++] = (byte) b;
        }
    }
}

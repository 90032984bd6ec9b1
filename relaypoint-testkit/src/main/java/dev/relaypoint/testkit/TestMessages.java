package dev.relaypoint.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Deterministic test messages and the helpers to send and compare them. Messages deliberately contain lines
 * starting with '.', lone "." lines and ".." lines so that dot-stuffing bugs show up as SHA-256 mismatches.
 */
public final class TestMessages {

    private static final int MAX_TEXT = 76; // keeps every line under the RFC 5322 78-character recommendation

    private TestMessages() {
    }

    /**
     * A canonical (unstuffed) message of exactly {@code size} octets: CRLF lines, the last one ending in CRLF,
     * a small header block when there is room, then printable-ASCII body lines. Same seed, same bytes.
     *
     * @param size 0, or at least 2 (one empty line)
     */
    public static byte[] generate(int size, long seed) {
        if (size < 0 || size == 1) {
            throw new IllegalArgumentException("size must be 0 or >= 2: " + size);
        }
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        String header = "Subject: relaypoint test message " + seed + "\r\n\r\n";
        if (size >= header.length() + 2) {
            out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        }
        while (out.size() < size) {
            int remaining = size - out.size();
            int text = Math.min(random.nextInt(MAX_TEXT + 1), remaining - 2);
            if (remaining - (text + 2) == 1) {
                text++; // a 1-octet tail cannot be a CRLF line, so grow this line by one
            }
            out.writeBytes(line(random, text));
        }
        return out.toByteArray();
    }

    private static byte[] line(Random random, int text) {
        byte[] b = new byte[text + 2];
        for (int i = 0; i < text; i++) {
            b[i] = (byte) (' ' + random.nextInt(95)); // printable ASCII
        }
        if (text > 0 && random.nextInt(6) == 0) {
            b[0] = '.'; // a line needing dot-stuffing; with text == 1 it is a lone "."
            if (text > 1 && random.nextBoolean()) {
                b[1] = '.';
            }
        }
        b[text] = '\r';
        b[text + 1] = '\n';
        return b;
    }

    /** Dot-stuffs the whole canonical message (RFC 5321 §4.5.2), without the terminating ".CRLF". */
    public static byte[] dotStuff(byte[] canonical) {
        return dotStuff(canonical, 0);
    }

    /**
     * Dot-stuffs {@code canonical[from..]}, as a client resuming an RFC 1845 transfer at octet {@code from}
     * would send it. A '.' is stuffed only where it starts a line of the whole message.
     */
    public static byte[] dotStuff(byte[] canonical, int from) {
        if (from < 0 || from > canonical.length) {
            throw new IllegalArgumentException("from out of range: " + from);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(canonical.length - from + 64);
        for (int i = from; i < canonical.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && canonical[i - 2] == '\r' && canonical[i - 1] == '\n');
            if (lineStart && canonical[i] == '.') {
                out.write('.');
            }
            out.write(canonical[i]);
        }
        return out.toByteArray();
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

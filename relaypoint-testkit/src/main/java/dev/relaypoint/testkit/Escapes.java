package dev.relaypoint.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The escape syntax of dialog files ({@code \r \n \t \0 \\ \' \xHH}) and its inverse for error messages, so a
 * failure shows exactly which CR, LF or NUL was on the wire.
 */
public final class Escapes {

    private Escapes() {
    }

    /** Decodes escapes; other characters are encoded as UTF-8. */
    public static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                int cp = s.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
                continue;
            }
            if (++i == s.length()) {
                throw new IllegalArgumentException("dangling backslash in: " + s);
            }
            char e = s.charAt(i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case '\'' -> out.write('\'');
                case 'x' -> {
                    if (i + 2 >= s.length()) {
                        throw new IllegalArgumentException("\\x needs two hex digits in: " + s);
                    }
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in: " + s);
            }
        }
        return out.toByteArray();
    }

    /** Shows bytes as printable ASCII with CR, LF, TAB, NUL, backslash and other bytes escaped. */
    public static String show(byte[] b, int len) {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case 0 -> sb.append("\\0");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    public static String show(byte[] b) {
        return show(b, b.length);
    }

    public static String show(String s) {
        return show(s.getBytes(StandardCharsets.UTF_8));
    }
}

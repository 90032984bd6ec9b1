package dev.relaypoint.testkit;

import java.net.ProtocolException;

/** One parsed reply line: {@code 250-text} or {@code 250 text} or a bare {@code 250} (RFC 5321 §4.2). */
record ReplyLine(int code, boolean last, String text) {

    static ReplyLine parse(String line) throws ProtocolException {
        if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
            throw new ProtocolException("not a reply line: " + Escapes.show(line));
        }
        int code = Integer.parseInt(line.substring(0, 3));
        if (code < 200 || code > 599) {
            throw new ProtocolException("reply code out of range: " + Escapes.show(line));
        }
        if (line.length() == 3) {
            return new ReplyLine(code, true, "");
        }
        char sep = line.charAt(3);
        if (sep != ' ' && sep != '-') {
            throw new ProtocolException("bad separator after reply code: " + Escapes.show(line));
        }
        return new ReplyLine(code, sep == ' ', line.substring(4));
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

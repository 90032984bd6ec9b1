package dev.relaypoint.testkit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches one reply line against a dialog expectation such as {@code 250 2.0.0 Ok: queued as {qid}}.
 *
 * <ul>
 *   <li>The code and separator ({@code "250-"} or {@code "250 "}) must match exactly. An expectation of just the
 *       code ({@code "250"}) matches a final line with that code and any text.</li>
 *   <li>In the text, {@code *} matches any run of characters; {@code \*}, {@code \{}, {@code \\} are literal.</li>
 *   <li>{@code {name}} matches the variable's value if bound, otherwise captures a run of non-space characters.
 *       A name used twice in one line must match the same text both times.</li>
 *   <li>If the expectation's text does not start with an enhanced status code (RFC 3463, e.g. {@code 2.1.0})
 *       and does not match the whole text, it is tried once more against the text after the reply's enhanced
 *       code, so scripts need not spell it out ({@code 250 Ok} matches {@code 250 2.1.0 Ok}). When given, it
 *       must match.</li>
 * </ul>
 */
final class ReplyPattern {

    private static final Pattern ENHANCED = Pattern.compile("^[245]\\.\\d{1,3}\\.\\d{1,3}(?: |$)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ReplyPattern() {
    }

    /** The variables captured by a match (empty map if none), or empty if the line does not match. */
    static Optional<Map<String, String>> match(String expected, String actual, Map<String, String> bound) {
        String actualLine = actual.length() == 3 ? actual + " " : actual;
        if (expected.length() == 3) {
            return actualLine.startsWith(expected + " ") ? Optional.of(Map.of()) : Optional.empty();
        }
        if (actualLine.length() < 4 || !actualLine.regionMatches(0, expected, 0, 4)) {
            return Optional.empty();
        }
        String expectedText = expected.substring(4);
        String actualText = actualLine.substring(4);
        Optional<Map<String, String>> full = matchText(expectedText, actualText, bound);
        if (full.isPresent() || ENHANCED.matcher(expectedText).find()) {
            return full;
        }
        // The script left the enhanced status code out: retry without the one in the reply.
        Matcher m = ENHANCED.matcher(actualText);
        return m.find() ? matchText(expectedText, actualText.substring(m.end()), bound) : full;
    }

    private static Optional<Map<String, String>> matchText(String expected, String actual,
            Map<String, String> bound) {
        Map<String, Integer> groups = new LinkedHashMap<>();
        Matcher m = compile(expected, bound, groups).matcher(actual);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> captured = new HashMap<>();
        groups.forEach((name, group) -> captured.put(name, m.group(group)));
        return Optional.of(captured);
    }

    private static Pattern compile(String text, Map<String, String> bound, Map<String, Integer> groups) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && "*{\\".indexOf(text.charAt(i + 1)) >= 0) {
                literal.append(text.charAt(++i));
            } else if (c == '*') {
                flush(regex, literal);
                regex.append(".*");
            } else if (variableAt(text, i).isPresent()) {
                String name = variableAt(text, i).get();
                i += name.length() + 1;
                if (bound.containsKey(name)) {
                    literal.append(bound.get(name));
                } else if (groups.containsKey(name)) {
                    flush(regex, literal);
                    regex.append('\\').append(groups.get(name));
                } else {
                    flush(regex, literal);
                    groups.put(name, groups.size() + 1);
                    regex.append("(\\S+)");
                }
            } else {
                literal.append(c);
            }
        }
        flush(regex, literal);
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** The variable name if {@code text} has {@code {name}} at {@code i}; empty means a literal character. */
    static Optional<String> variableAt(String text, int i) {
        int close = text.indexOf('}', i);
        if (text.charAt(i) != '{' || close < 0) {
            return Optional.empty();
        }
        String name = text.substring(i + 1, close);
        return NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    /** Replaces every {@code {name}} with its value; an unbound name is an error in the script. */
    static String substitute(String text, Map<String, String> vars) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            Optional<String> variable = variableAt(text, i);
            if (variable.isEmpty()) {
                out.append(text.charAt(i));
                continue;
            }
            String name = variable.get();
            if (!vars.containsKey(name)) {
                throw new IllegalStateException("variable {" + name + "} is not bound yet");
            }
            out.append(vars.get(name));
            i += name.length() + 1;
        }
        return out.toString();
    }

    private static void flush(StringBuilder regex, StringBuilder literal) {
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }
}

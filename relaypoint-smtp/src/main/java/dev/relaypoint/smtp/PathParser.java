package dev.relaypoint.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the arguments of MAIL and RCPT (RFC 5321 §4.1.2): {@code FROM:<path> [params]} and
 * {@code TO:<path> [params]}. Source routes are accepted and dropped (RFC 5321 §3.6.1), so every
 * policy decision sees the final mailbox. Only ASCII is accepted (SMTPUTF8 is not offered).
 */
public final class PathParser {

  public static final int MAX_LOCAL_PART = 64;
  public static final int MAX_DOMAIN = 255;
  public static final int MAX_PATH = 256;
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private PathParser() {}

  /** Parses {@code FROM:<reverse-path> [SP params]}. */
  public static MailArguments parseMail(String argument) throws SmtpSyntaxException {
    return parse(argument, "FROM:", true);
  }

  /** Parses {@code TO:<forward-path> [SP params]}. */
  public static MailArguments parseRcpt(String argument) throws SmtpSyntaxException {
    return parse(argument, "TO:", false);
  }

  private static MailArguments parse(String argument, String prefix, boolean reverse)
      throws SmtpSyntaxException {
    if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new SmtpSyntaxException("5.5.2", "Syntax: " + (reverse ? "MAIL FROM:<address>" : "RCPT TO:<address>"));
    }
    int pos = prefix.length();
    while (pos < argument.length() && argument.charAt(pos) == ' ') {
      pos++; // tolerated: many clients write "MAIL FROM: <a>"
    }
    if (pos >= argument.length() || argument.charAt(pos) != '<') {
      throw new SmtpSyntaxException("5.5.2", "the address must be enclosed in <>");
    }
    int close = argument.indexOf('>', pos);
    if (close < 0) {
      throw new SmtpSyntaxException("5.5.2", "missing > after the address");
    }
    // A quoted local part may contain '>', so find the closing bracket outside quotes.
    close = closingBracket(argument, pos);
    String path = argument.substring(pos + 1, close);
    if (path.length() + 2 > MAX_PATH) {
      throw new SmtpSyntaxException("5.1.3", "path too long");
    }
    Map<String, String> params = parseParameters(argument.substring(close + 1));
    if (path.isEmpty()) {
      if (!reverse) {
        throw new SmtpSyntaxException("5.1.3", "a recipient address is required");
      }
      return new MailArguments(Optional.empty(), false, params);
    }
    if (!reverse && path.equalsIgnoreCase("postmaster")) {
      return new MailArguments(Optional.empty(), true, params);
    }
    return new MailArguments(Optional.of(parseMailbox(dropSourceRoute(path))), false, params);
  }

  private static int closingBracket(String s, int open) throws SmtpSyntaxException {
    boolean quoted = false;
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '>' && !quoted) {
        return i;
      }
    }
    throw new SmtpSyntaxException("5.5.2", "missing > after the address");
  }

  private static String dropSourceRoute(String path) throws SmtpSyntaxException {
    if (!path.startsWith("@")) {
      return path;
    }
    int colon = path.indexOf(':');
    if (colon < 0) {
      throw new SmtpSyntaxException("5.1.3", "bad source route");
    }
    for (String hop : path.substring(0, colon).split(",", -1)) {
      if (!hop.startsWith("@") || !isDomain(hop.substring(1))) {
        throw new SmtpSyntaxException("5.1.3", "bad source route");
      }
    }
    return path.substring(colon + 1);
  }

  /** Parses {@code local@domain}. */
  public static Mailbox parseMailbox(String text) throws SmtpSyntaxException {
    int at = text.lastIndexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new SmtpSyntaxException("5.1.3", "address must be local-part@domain");
    }
    String local = text.substring(0, at);
    String domain = text.substring(at + 1);
    if (local.length() > MAX_LOCAL_PART) {
      throw new SmtpSyntaxException("5.1.3", "local part longer than " + MAX_LOCAL_PART + " octets");
    }
    if (domain.length() > MAX_DOMAIN) {
      throw new SmtpSyntaxException("5.1.3", "domain longer than " + MAX_DOMAIN + " octets");
    }
    if (!(isDotString(local) || isQuotedString(local))) {
      throw new SmtpSyntaxException("5.1.3", "bad local part: " + local);
    }
    if (!(isDomain(domain) || isAddressLiteral(domain))) {
      throw new SmtpSyntaxException("5.1.3", "bad domain: " + domain);
    }
    return new Mailbox(local, domain);
  }

  static boolean isDotString(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '.' && !isAtext(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || ATEXT_SPECIALS.indexOf(c) >= 0;
  }

  static boolean isQuotedString(String s) {
    if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
      return false;
    }
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
        if (i >= s.length() - 1 || s.charAt(i) < 32 || s.charAt(i) > 126) {
          return false;
        }
      } else if (c == '"' || c < 32 || c > 126) {
        return false;
      }
    }
    return true;
  }

  static boolean isDomain(String s) {
    String d = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    if (d.isEmpty()) {
      return false;
    }
    for (String label : d.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean isAddressLiteral(String s) {
    if (s.length() < 3 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') {
      return false;
    }
    String inner = s.substring(1, s.length() - 1);
    if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
      return inner.substring(5).matches("[0-9A-Fa-f:.]{2,45}");
    }
    return inner.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  }

  /** Parses {@code [SP keyword[=value]]*}; a repeated keyword is an error. */
  static Map<String, String> parseParameters(String rest) throws SmtpSyntaxException {
    Map<String, String> params = new LinkedHashMap<>();
    if (rest.isEmpty()) {
      return params;
    }
    if (rest.charAt(0) != ' ') {
      throw new SmtpSyntaxException("5.5.4", "parameters must follow the address after a space");
    }
    for (String token : rest.trim().split(" +")) {
      int eq = token.indexOf('=');
      String keyword = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
      String value = eq < 0 ? "" : token.substring(eq + 1);
      if (!isKeyword(keyword)) {
        throw new SmtpSyntaxException("5.5.4", "bad parameter keyword: " + keyword);
      }
      if (eq >= 0 && !isValue(value)) {
        throw new SmtpSyntaxException("5.5.4", "bad value for parameter " + keyword);
      }
      if (params.put(keyword, value) != null) {
        throw new SmtpSyntaxException("5.5.4", "parameter " + keyword + " given more than once");
      }
    }
    return params;
  }

  private static boolean isKeyword(String k) {
    if (k.isEmpty() || k.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValue(String v) {
    if (v.isEmpty()) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 33 || c > 126 || c == '=') {
        return false;
      }
    }
    return true;
  }
}

package dev.relaypoint.smtp;

import java.util.Objects;

/**
 * An RFC 1845 transaction identifier, the value of the MAIL parameter {@code TRANSID}, kept exactly as
 * sent, angle brackets included. Syntax (RFC 1845 §2(4)): {@code "<" local "@" domain ">"}, where local
 * and domain are dot-separated atoms of printable ASCII other than SPACE, controls, tspecials and ".",
 * at most 80 characters in all. Case-sensitive and opaque: never parsed further or case-folded.
 */
public record TransactionId(String value) {

  public static final int MAX_LENGTH = 80;
  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

  public TransactionId {
    Objects.requireNonNull(value, "value");
  }

  public static TransactionId parse(String text) throws SmtpSyntaxException {
    if (text.length() > MAX_LENGTH) {
      throw invalid("is longer than " + MAX_LENGTH + " characters");
    }
    if (text.length() < 5 || text.charAt(0) != '<' || text.charAt(text.length() - 1) != '>') {
      throw invalid("must look like <local@domain>");
    }
    String inner = text.substring(1, text.length() - 1);
    int at = inner.indexOf('@');
    if (at < 0 || inner.indexOf('@', at + 1) >= 0) {
      throw invalid("must contain exactly one @");
    }
    checkDotAtoms(inner.substring(0, at), "local part");
    checkDotAtoms(inner.substring(at + 1), "domain");
    return new TransactionId(text);
  }

  private static void checkDotAtoms(String part, String what) throws SmtpSyntaxException {
    if (part.isEmpty() || part.startsWith(".") || part.endsWith(".") || part.contains("..")) {
      throw invalid(what + " must be dot-separated non-empty atoms");
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '.') {
        continue;
      }
      if (c <= ' ' || c >= 127 || TSPECIALS.indexOf(c) >= 0) {
        throw invalid(what + " contains a character not allowed in an atom");
      }
    }
  }

  private static SmtpSyntaxException invalid(String why) {
    return new SmtpSyntaxException("5.5.4", "TRANSID " + why);
  }

  @Override
  public String toString() {
    return value;
  }
}

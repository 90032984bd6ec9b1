package dev.relaypoint.smtp;

/** Input that does not follow the SMTP grammar; the message says precisely what is wrong. */
public final class SmtpSyntaxException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String enhancedCode;

  public SmtpSyntaxException(String enhancedCode, String message) {
    super(message);
    this.enhancedCode = enhancedCode;
  }

  /** The RFC 3463 code that fits the error, e.g. 5.5.4 for a bad parameter or 5.1.3 for a bad address. */
  public String enhancedCode() {
    return enhancedCode;
  }
}

package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps verbs to their handlers and knows each command's line-length limit: 512 octets with CRLF
 * (RFC 5321 §4.5.3.1.4), raised for MAIL by each extension it carries: SIZE +26 (RFC 1870), BODY +16
 * (RFC 1652) and TRANSID +88 (RFC 1845 §2(5)).
 */
final class CommandTable implements AutoCloseable {

  static final int BASE_LINE = 512;
  /** AUTH responses may be long: RFC 4954 §4 calls 12288 octets sufficient (Postfix's default). */
  static final int RESPONSE_LINE = 12288;
  static final int FRAMER_LIMIT = RESPONSE_LINE;

  private final Map<String, CommandHandler> handlers;

  CommandTable(ServerConfig config) {
    Map<String, CommandHandler> all = new HashMap<>(Map.of(
        "EHLO", new EhloHandler(true),
        "HELO", new EhloHandler(false),
        "MAIL", new MailHandler(),
        "RCPT", new RcptHandler(new RecipientPolicy(config)),
        "DATA", new DataHandler(),
        "RSET", SimpleHandlers.RSET,
        "NOOP", SimpleHandlers.NOOP,
        "QUIT", SimpleHandlers.QUIT,
        "VRFY", SimpleHandlers.VRFY,
        "HELP", SimpleHandlers.HELP));
    config.authenticator().ifPresent(users -> all.put("AUTH", new AuthHandler(users)));
    if (config.tls().isPresent() && !config.implicitTls()) {
      all.put("STARTTLS", new StartTlsHandler());
    }
    this.handlers = Map.copyOf(all);
  }

  /** Releases what handlers hold beyond the server's life (the AUTH hashing threads). */
  @Override
  public void close() {
    for (CommandHandler h : handlers.values()) {
      if (h instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot release " + h.getClass().getSimpleName(), e);
        }
      }
    }
  }

  Optional<CommandHandler> handler(String verb) {
    return Optional.ofNullable(handlers.get(verb.toUpperCase(Locale.ROOT)));
  }

  /** Whether {@code line} (without CRLF) is within its command's limit. */
  static boolean withinLimit(String verb, String line) {
    int limit = BASE_LINE;
    if (verb.equalsIgnoreCase("MAIL")) {
      String upper = line.toUpperCase(Locale.ROOT);
      limit += upper.contains(" SIZE=") ? 26 : 0;
      limit += upper.contains(" BODY=") ? 16 : 0;
      limit += upper.contains(" TRANSID=") ? 88 : 0;
    }
    return line.length() + 2 <= limit;
  }
}

package dev.relaypoint.client;

import java.util.Locale;
import java.util.Objects;

/** Where to send: one server (a host name or IP literal) or the MX hosts of a mail domain. */
public sealed interface Destination {

  int SMTP_PORT = 25;

  /** A fixed server; a host name is resolved to A/AAAA records on every attempt. */
  record Server(String host, int port) implements Destination {
    public Server {
      Objects.requireNonNull(host, "host");
      checkPort(port);
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The MX hosts of a domain in preference order, or its A/AAAA records when it has no MX. */
  record Mx(String domain, int port) implements Destination {
    public Mx {
      Objects.requireNonNull(domain, "domain");
      domain = domain.toLowerCase(Locale.ROOT);
      checkPort(port);
    }

    @Override
    public String toString() {
      return "MX " + domain + (port == SMTP_PORT ? "" : ":" + port);
    }
  }

  static Destination server(String host, int port) {
    return new Server(host, port);
  }

  static Destination mx(String domain) {
    return new Mx(domain, SMTP_PORT);
  }

  /** Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 literal. */
  static Destination parseServer(String text) {
    String host = text;
    int port = SMTP_PORT;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ] in " + text);
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("expected :port after ] in " + text);
        }
        port = parsePort(text.substring(close + 2));
      }
    } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') >= 0) {
      host = text.substring(0, text.indexOf(':'));
      port = parsePort(text.substring(text.indexOf(':') + 1));
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host in " + text);
    }
    return new Server(host, port);
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port: " + s, e);
    }
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }
}

package dev.relaypoint.mta;

import java.util.Locale;

/** What the queue manager does with mail for the local domains. */
public enum LocalDelivery {

  /** Into {@code <data-dir>/maildir/<domain>/<user>/new/}. */
  MAILDIR(new Route.Local()),

  /**
   * Accepted durably like any mail, then thrown away and recorded as delivered (Postfix's
   * {@code local_transport = discard:}): for benchmarks and for hosts that only relay.
   */
  DISCARD(new Route.Discard());

  private final Route route;

  LocalDelivery(Route route) {
    this.route = route;
  }

  /** The route of a recipient in a local domain. */
  public Route route() {
    return route;
  }

  /** {@code maildir} or {@code discard}, in any case. */
  public static LocalDelivery parse(String text) {
    for (LocalDelivery d : values()) {
      if (d.name().equalsIgnoreCase(text.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException("must be maildir or discard, not '" + text + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

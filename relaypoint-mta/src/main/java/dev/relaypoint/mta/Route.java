package dev.relaypoint.mta;

import dev.relaypoint.client.Destination;

/** Where the recipients of one domain go. */
public sealed interface Route {

  /** A local domain: delivered into Maildir. */
  record Local() implements Route {}

  /**
   * Accepted, then thrown away and recorded as delivered, like Postfix's {@code discard:} transport:
   * the local domains under {@link LocalDelivery#DISCARD}, or a static route to {@code discard}.
   */
  record Discard() implements Route {}

  /** Another host, through the resumable client: a static route, the smarthost, or the domain's MX. */
  record Remote(Destination destination) implements Route {}
}

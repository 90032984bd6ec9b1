package dev.relaypoint.mta;

import dev.relaypoint.client.Destination;

/** Where the recipients of one domain go. */
public sealed interface Route {

  /** A local domain: delivered into Maildir. */
  record Local() implements Route {}

  /** Another host, through the resumable client: a static route, the smarthost, or the domain's MX. */
  record Remote(Destination destination) implements Route {}
}

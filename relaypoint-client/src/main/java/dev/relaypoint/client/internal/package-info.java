/**
 * Implementation of the client; not API. {@code Sender} is the retry loop, {@code Attempt} one SMTP
 * dialogue, {@code SmtpConnection} the socket with strict reply reading, {@code CanonicalMessage} the
 * re-openable canonical view of a message, {@code StateStore} the crash-safe send state. The design
 * decisions are in the package documentation of {@code dev.relaypoint.client}.
 */
package dev.relaypoint.client.internal;

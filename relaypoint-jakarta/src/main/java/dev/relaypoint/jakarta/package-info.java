/**
 * A Jakarta Mail transport provider ({@code mail.transport.protocol=relaypoint}) on the Relaypoint client.
 * Each message is spooled to a temporary file so it is never held in memory and can be re-read on a
 * restart; see {@link dev.relaypoint.jakarta.RelaypointTransport} for the properties.
 */
package dev.relaypoint.jakarta;

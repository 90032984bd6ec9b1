package dev.relaypoint.server;

/**
 * Checks SMTP AUTH credentials (RFC 4954). May block and be slow (salted slow hashes): the server
 * calls it off the network threads. Must take the same time for an unknown user as for a wrong
 * password, so that the answer (always 535) and its timing say nothing about which users exist.
 */
@FunctionalInterface
public interface Authenticator {

  boolean authenticate(String user, char[] password);
}

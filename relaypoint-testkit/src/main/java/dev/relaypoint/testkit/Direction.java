package dev.relaypoint.testkit;

/** One half of a proxied TCP connection. */
public enum Direction {
    /** Bytes the client sends towards the server (commands, message data). */
    CLIENT_TO_SERVER,
    /** Bytes the server sends towards the client (greeting, replies). */
    SERVER_TO_CLIENT
}

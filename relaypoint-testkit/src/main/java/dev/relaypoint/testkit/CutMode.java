package dev.relaypoint.testkit;

/** How {@link FaultProxy} ends a connection when a cut offset is reached. */
public enum CutMode {
    /**
     * Orderly close: {@code shutdownOutput()} then {@code close()} on both sockets, so each peer reads EOF.
     * The kernel may still follow the FIN with an RST if the proxy had unread bytes from that peer, exactly as
     * it would for a real process that closes early.
     */
    FIN,
    /** Abortive close: {@code setSoLinger(true, 0)} then {@code close()}, so each peer sees a connection reset. */
    RST
}

package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.store.CheckpointStore;
import dev.relaypoint.store.MessageQueue;
import java.time.Clock;

/** What every session shares: configuration, storage, the clock, the AUTH backoff, checkpoint quotas. */
record ServerContext(ServerConfig config, MessageQueue queue, CheckpointStore checkpoints, Clock clock,
    PendingWork pending, AuthThrottle authThrottle, CheckpointQuotaGate quotas) {}

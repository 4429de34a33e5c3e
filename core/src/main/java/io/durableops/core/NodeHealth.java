package io.durableops.core;

import java.time.Instant;
import java.util.Optional;

/**
 * How one node of Durable Ops is doing, for a health check ({@link DurableOps#health()}): whether its database answers,
 * whether its relay runs (and when it last finished a pass), the attempts due and not started (the backlog), and the
 * operations PAUSED because no running node has their step. {@code problem} says what is wrong, if anything.
 */
public record NodeHealth(boolean databaseReachable, boolean relayRunning, Optional<Instant> lastRelayPass, long due, long paused,
                         Optional<String> problem) {
    /** Whether nothing is wrong: the database answers and the relay runs (a backlog or paused operations are reported, not judged). */
    public boolean isHealthy() {
        return problem.isEmpty();
    }
}

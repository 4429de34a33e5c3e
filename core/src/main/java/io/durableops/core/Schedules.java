package io.durableops.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operations started on a schedule: every tick of a {@link Schedule} starts one operation of a definition, exactly once
 * across all nodes (the tick is the operation's idempotency key, {@code schedule:<name>:<tick>}). Schedules are rows in
 * the database: they survive restarts and deploys, and any node whose build has the definition runs their ticks, within
 * a relay interval. Obtained from {@link DurableOps#schedules()}; see docs/flow-control.md.
 */
public interface Schedules {
    /**
     * Stores a schedule, or changes the one of that name (its definition, timing, policies or input); a change takes
     * effect from the next tick. The operation each tick starts gets {@code input} plus {@code schedule} (the name) and
     * {@code scheduledFor} (the tick, ISO-8601) unless the input has those keys. Throws
     * {@link UnknownDefinitionException} if this node does not have {@code definition}.
     */
    ScheduleView put(String name, String definition, Schedule schedule, Map<String, ?> input);

    /** Stops the schedule's ticks until {@link #resume}; an operation already started goes on. */
    ScheduleView pause(String name);

    /** Ticks again from now on: the ticks missed while paused are skipped, not caught up. */
    ScheduleView resume(String name);

    /** Starts an operation of the schedule now, whatever its overlap policy, paused or not; returns it. */
    OperationId trigger(String name);

    /** Deletes the schedule; the operations it started go on. Returns whether it existed. */
    boolean delete(String name);

    Optional<ScheduleView> find(String name);

    /** Every schedule, by name. */
    List<ScheduleView> list();
}

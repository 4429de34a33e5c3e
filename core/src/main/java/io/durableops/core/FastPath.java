package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a worker that just completed a step may run the operation's next step itself, when that step is due now,
 * instead of handing it to the dispatcher (with JobRunr: one job per step). Every step is still recorded in its own
 * committed transaction before the next one begins, and the next attempt is claimed in that same transaction, so a
 * crash loses nothing (the lease recovers it). The worker hands an operation back to the dispatcher after
 * {@code maxSteps} of its steps in a row, so one long operation cannot starve others, and returns to the dispatcher
 * after {@code maxTime}, so other jobs get their worker.
 *
 * <p>While {@link DurableOps.Builder#fastPathTurns} workers of a node are on such turns, an operation enqueued on
 * that node whose definition is on the fast path and whose first step is due now is kept for them instead of being
 * dispatched (with JobRunr: a job saved, fetched, started and finished per operation): the first worker done with its
 * current operation runs it. Below that many turns it is dispatched, and starts a turn of its own. If no worker takes
 * anything for 50 ms (all are busy with long steps), as many kept ones as turns are wanted are dispatched, to start
 * turns of their own, and so on every 50 ms; turns started that way end at their next take while more than wanted
 * run. A worker with nothing to take waits up to {@link DurableOps.Builder#fastPathLinger} for a new one before its
 * turn ends. All kept ones are dispatched when the node's last turn ends, and the one a worker would take when it has used
 * up its {@code maxTime}. A kept one is committed before it waits, so a crash loses nothing: the relay dispatches it
 * after its grace.
 *
 * <p>Off by default: every step is then its own JobRunr job, visible in JobRunr's dashboard. Turn it on for the whole
 * runtime with {@code DurableOps.builder().fastPath(...)} or per definition with {@link Flow#fastPath}.
 */
public final class FastPath {
    private static final FastPath OFF = new FastPath(1, Duration.ZERO);

    private final int maxSteps;
    private final Duration maxTime;

    private FastPath(int maxSteps, Duration maxTime) {
        this.maxSteps = maxSteps;
        this.maxTime = maxTime;
    }

    /** Every step goes through the dispatcher. */
    public static FastPath off() {
        return OFF;
    }

    /** A worker runs up to {@code maxSteps} consecutive due steps of one operation, for at most {@code maxTime}. */
    public static FastPath upTo(int maxSteps, Duration maxTime) {
        Objects.requireNonNull(maxTime, "maxTime");
        if (maxSteps < 2) throw new ConfigurationException("a fast path of fewer than 2 steps is off; use FastPath.off(), was " + maxSteps);
        if (maxTime.isNegative() || maxTime.isZero()) throw new ConfigurationException("the fast path's maxTime must be positive, was " + maxTime);
        return new FastPath(maxSteps, maxTime);
    }

    /**
     * 32 steps of one operation in a row, and 1 s per turn. why 1 s: each turn ends with a dispatcher round trip, and
     * JobRunr itself polls every 15 s by default, so other jobs hardly notice a second (docs/benchmarks.md, "Why the
     * fast path's defaults").
     */
    public static FastPath defaults() {
        return upTo(32, Duration.ofSeconds(1));
    }

    public boolean isOn() {
        return maxSteps > 1;
    }

    public int maxSteps() {
        return maxSteps;
    }

    public Duration maxTime() {
        return maxTime;
    }

    @Override
    public String toString() {
        return isOn() ? "FastPath[maxSteps=" + maxSteps + ", maxTime=" + maxTime + "]" : "FastPath.off()";
    }
}

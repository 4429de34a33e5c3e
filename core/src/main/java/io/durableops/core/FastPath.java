package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a worker that just completed a step may run the operation's next step itself, when that step is due now,
 * instead of handing it to the dispatcher (with JobRunr: one job per step). Every step is still recorded in its own
 * committed transaction before the next one begins, and the next attempt is claimed in that same transaction, so a
 * crash loses nothing (the lease recovers it). The worker hands back to the dispatcher after {@code maxSteps} steps or
 * {@code maxTime}, so one long operation cannot starve others.
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

    /** 32 steps or 250 ms, whichever comes first. */
    public static FastPath defaults() {
        return upTo(32, Duration.ofMillis(250));
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

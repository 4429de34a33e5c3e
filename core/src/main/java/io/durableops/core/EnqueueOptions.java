package io.durableops.core;

import java.time.Duration;
import java.time.Instant;

/** Options for starting an operation. Immutable; chain from {@link #defaults()}. */
public final class EnqueueOptions {
    private static final EnqueueOptions DEFAULTS = new EnqueueOptions(null, Duration.ZERO);

    private final Instant runAt;
    private final Duration delay;

    private EnqueueOptions(Instant runAt, Duration delay) {
        if (delay.isNegative()) throw new ConfigurationException("an enqueue delay must not be negative, was " + delay);
        this.runAt = runAt;
        this.delay = delay;
    }

    public static EnqueueOptions defaults() {
        return DEFAULTS;
    }

    /** The first step runs at {@code instant} (or at once if it has passed). */
    public static EnqueueOptions runAt(Instant instant) {
        return new EnqueueOptions(java.util.Objects.requireNonNull(instant, "instant"), Duration.ZERO);
    }

    /** The first step runs after {@code delay}. */
    public static EnqueueOptions delay(Duration delay) {
        return new EnqueueOptions(null, java.util.Objects.requireNonNull(delay, "delay"));
    }

    /** When the first step should run, given the current instant. */
    public Instant firstRunAt(Instant now) {
        return runAt != null ? runAt : now.plus(delay);
    }
}

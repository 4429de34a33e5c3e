package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A flow-control limit: how many steps (or operations) may run at once, or start per period. Declared on a definition
 * with {@link Flow#limit} (it counts every step of the definition) or on one step with {@link StepOptions#andLimit} (it
 * counts that step). A step that may not run yet waits, queued, without a thread and without counting a try; its
 * operation says why ({@link OperationView#queuedReason()}: {@code "queued: concurrency 5 of 5 in use"}). When a place
 * frees up, the waiting step with the highest {@link EnqueueOptions#priority priority}, then the oldest, goes first.
 * See docs/flow-control.md.
 */
public final class Limit {
    /** What a limit counts. */
    public enum Kind {
        /** Steps running at once, across all nodes. */
        CONCURRENCY,
        /** Steps running at once on each node. */
        PER_NODE,
        /** Operations running at once per value of an input, started in the order they were enqueued. */
        PER_KEY,
        /** Steps started in any window of one period, across all nodes. */
        RATE
    }

    /** The most any limit may allow: far more than a database would serve, few enough rows to keep. */
    public static final int MAX = 10_000;

    private final Kind kind;
    private final int permits;
    private final Duration period;
    private final String keyInput;

    private Limit(Kind kind, int permits, Duration period, String keyInput) {
        if (permits < 1 || permits > MAX) throw new ConfigurationException("a limit must allow 1 to " + MAX + ", was " + permits);
        this.kind = kind;
        this.permits = permits;
        this.period = period;
        this.keyInput = keyInput;
    }

    /** At most {@code n} steps running at once across all nodes (a crashed node's places come back within its lease). */
    public static Limit concurrency(int n) {
        return new Limit(Kind.CONCURRENCY, n, null, null);
    }

    /** At most {@code n} steps running at once on each node. */
    public static Limit perNode(int n) {
        return new Limit(Kind.PER_NODE, n, null, null);
    }

    /**
     * At most {@code n} operations running at once for each value of the input {@code input} (for example
     * {@code perKey("subscriptionId", 1)}: never two operations of the same subscription at once), each key's operations
     * starting in the order they were enqueued. An operation holds its place from its first step until it ends, waits
     * included. The input becomes required. Definitions only. The key is stored as a SHA-256 digest, not in clear.
     */
    public static Limit perKey(String input, int n) {
        Objects.requireNonNull(input, "input");
        if (input.isBlank()) throw new ConfigurationException("perKey(...) needs the name of an input, was blank");
        return new Limit(Kind.PER_KEY, n, null, input);
    }

    /**
     * At most {@code n} steps started in any window of {@code period} (1 ms to one day), across all nodes; the others
     * wait, they do not fail.
     */
    public static Limit rate(int n, Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.compareTo(Duration.ofMillis(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigurationException("a rate limit's period must be 1 ms to 1 day, was " + period);
        }
        return new Limit(Kind.RATE, n, period, null);
    }

    public Kind kind() {
        return kind;
    }

    /** How many may run at once, or start per period. */
    public int permits() {
        return permits;
    }

    /** The period of a {@link Kind#RATE} limit; null for the others. */
    public Duration period() {
        return period;
    }

    /** The input whose value is the key of a {@link Kind#PER_KEY} limit; null for the others. */
    public String keyInput() {
        return keyInput;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limit l && kind == l.kind && permits == l.permits && Objects.equals(period, l.period)
                && Objects.equals(keyInput, l.keyInput);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, permits, period, keyInput);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONCURRENCY -> "concurrency " + permits;
            case PER_NODE -> permits + " per node";
            case PER_KEY -> permits + " per " + keyInput;
            case RATE -> "rate " + permits + " per " + period;
        };
    }
}

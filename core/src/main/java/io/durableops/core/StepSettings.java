package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/** The one implementation of {@link StepOptions}: validated at construction, each {@code and...} a copy. */
record StepSettings(String next, Duration startDelay, RetryPolicy retryPolicy, boolean isTransactional, Duration stepTimeout,
                    java.util.List<Limit> limits)
        implements StepOptions {
    static final StepSettings DEFAULTS = new StepSettings(null, Duration.ZERO, RetryPolicy.defaults(), false, null, java.util.List.of());

    StepSettings {
        if (stepTimeout != null && (stepTimeout.isNegative() || stepTimeout.isZero())) {
            throw new ConfigurationException("a step timeout must be positive, was " + stepTimeout);
        }
        if (next != null && next.isBlank()) throw new ConfigurationException("then(...) needs a step name, was blank");
        Objects.requireNonNull(startDelay, "delay");
        if (startDelay.isNegative()) throw new ConfigurationException("a step delay must not be negative, was " + startDelay);
        Objects.requireNonNull(retryPolicy, "retry");
        limits = java.util.List.copyOf(limits);
    }

    @Override
    public StepOptions andThen(String step) {
        return new StepSettings(Objects.requireNonNull(step, "step"), startDelay, retryPolicy, isTransactional, stepTimeout, limits);
    }

    @Override
    public StepOptions andDelay(Duration delay) {
        return new StepSettings(next, delay, retryPolicy, isTransactional, stepTimeout, limits);
    }

    @Override
    public StepOptions andRetry(RetryPolicy policy) {
        return new StepSettings(next, startDelay, policy, isTransactional, stepTimeout, limits);
    }

    @Override
    public StepOptions andTransactional() {
        return new StepSettings(next, startDelay, retryPolicy, true, stepTimeout, limits);
    }

    @Override
    public StepOptions andTimeout(Duration timeout) {
        return new StepSettings(next, startDelay, retryPolicy, isTransactional, Objects.requireNonNull(timeout, "timeout"), limits);
    }

    @Override
    public StepOptions andLimit(Limit limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.kind() == Limit.Kind.PER_KEY) {
            throw new ConfigurationException("a per-key limit holds a whole operation; declare it on the definition with Flow.limit(...)");
        }
        for (Limit held : limits) {
            if (held.kind() == limit.kind()) throw new ConfigurationException("a step has one limit of each kind; it already has " + held);
        }
        java.util.List<Limit> more = new java.util.ArrayList<>(limits);
        more.add(limit);
        return new StepSettings(next, startDelay, retryPolicy, isTransactional, stepTimeout, more);
    }
}

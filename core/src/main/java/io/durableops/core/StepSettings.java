package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/** The one implementation of {@link StepOptions}: validated at construction, each {@code and...} a copy. */
record StepSettings(String next, Duration startDelay, RetryPolicy retryPolicy, boolean isTransactional, Duration stepTimeout)
        implements StepOptions {
    static final StepSettings DEFAULTS = new StepSettings(null, Duration.ZERO, RetryPolicy.defaults(), false, null);

    StepSettings {
        if (stepTimeout != null && (stepTimeout.isNegative() || stepTimeout.isZero())) {
            throw new ConfigurationException("a step timeout must be positive, was " + stepTimeout);
        }
        if (next != null && next.isBlank()) throw new ConfigurationException("then(...) needs a step name, was blank");
        Objects.requireNonNull(startDelay, "delay");
        if (startDelay.isNegative()) throw new ConfigurationException("a step delay must not be negative, was " + startDelay);
        Objects.requireNonNull(retryPolicy, "retry");
    }

    @Override
    public StepOptions andThen(String step) {
        return new StepSettings(Objects.requireNonNull(step, "step"), startDelay, retryPolicy, isTransactional, stepTimeout);
    }

    @Override
    public StepOptions andDelay(Duration delay) {
        return new StepSettings(next, delay, retryPolicy, isTransactional, stepTimeout);
    }

    @Override
    public StepOptions andRetry(RetryPolicy policy) {
        return new StepSettings(next, startDelay, policy, isTransactional, stepTimeout);
    }

    @Override
    public StepOptions andTransactional() {
        return new StepSettings(next, startDelay, retryPolicy, true, stepTimeout);
    }

    @Override
    public StepOptions andTimeout(Duration timeout) {
        return new StepSettings(next, startDelay, retryPolicy, isTransactional, Objects.requireNonNull(timeout, "timeout"));
    }
}

package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of one step: the step that follows it, a delay before it runs, and its retry policy. Immutable; start
 * from one of the static factories and chain, e.g. {@code StepOptions.then("send-receipt").retry(RetryPolicy.exponential(8))}.
 */
public final class StepOptions {
    private static final StepOptions DEFAULTS = new StepOptions(null, Duration.ZERO, RetryPolicy.defaults(), false, null);

    private final String then;
    private final Duration delay;
    private final RetryPolicy retry;
    private final boolean transactional;
    private final Duration timeout;

    private StepOptions(String then, Duration delay, RetryPolicy retry, boolean transactional, Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) throw new ConfigurationException("a step timeout must be positive, was " + timeout);
        if (then != null && then.isBlank()) throw new ConfigurationException("then(...) needs a step name, was blank");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new ConfigurationException("a step delay must not be negative, was " + delay);
        this.then = then;
        this.delay = delay;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.transactional = transactional;
        this.timeout = timeout;
    }

    /** No explicit next step (the next one in the branch), no delay, the default retry policy. */
    public static StepOptions defaults() {
        return DEFAULTS;
    }

    /** After this step, go to {@code step} instead of the next one in the branch. */
    public static StepOptions then(String step) {
        return DEFAULTS.andThen(step);
    }

    /** Wait {@code delay} after the previous step before running this one. */
    public static StepOptions delay(Duration delay) {
        return DEFAULTS.andDelay(delay);
    }

    public static StepOptions retry(RetryPolicy policy) {
        return DEFAULTS.andRetry(policy);
    }

    /**
     * The step's code runs inside the transaction that records its completion and gets that transaction's JDBC
     * connection from {@link StepContext#connection()}: its writes to the same database commit together with the
     * completion or not at all (exactly once for local effects).
     */
    public static StepOptions transactional() {
        return DEFAULTS.andTransactional();
    }

    public StepOptions andThen(String step) {
        return new StepOptions(Objects.requireNonNull(step, "step"), delay, retry, transactional, timeout);
    }

    public StepOptions andDelay(Duration delay) {
        return new StepOptions(then, delay, retry, transactional, timeout);
    }

    public StepOptions andRetry(RetryPolicy policy) {
        return new StepOptions(then, delay, policy, transactional, timeout);
    }

    /**
     * The step's code must finish within {@code timeout}; otherwise the try is recorded as failed with a
     * {@link StepTimeoutException}, its thread is interrupted, and the retry policy decides what follows.
     */
    public static StepOptions timeout(Duration timeout) {
        return DEFAULTS.andTimeout(timeout);
    }

    public StepOptions andTimeout(Duration timeout) {
        return new StepOptions(then, delay, retry, transactional, Objects.requireNonNull(timeout, "timeout"));
    }

    public StepOptions andTransactional() {
        return new StepOptions(then, delay, retry, true, timeout);
    }

    /** The explicit next step, or {@code null}. */
    public String next() {
        return then;
    }

    public Duration startDelay() {
        return delay;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** The step timeout, or null for none. */
    public Duration stepTimeout() {
        return timeout;
    }

    public boolean isTransactional() {
        return transactional;
    }
}

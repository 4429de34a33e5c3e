package io.durableops.core;

import java.time.Duration;

/**
 * Options of one step: the step that follows it, a delay before it runs, its retry policy, a timeout, and whether its
 * code runs in the transaction that records it. Immutable. Start from one of the static factories and add the other
 * parts with the {@code and...} methods; every part is kept:
 *
 * <pre>{@code
 * StepOptions.then("send-receipt").andRetry(RetryPolicy.exponential(8)).andTimeout(Duration.ofSeconds(30))
 * }</pre>
 *
 * <p>The factories are static methods of this interface, so {@code StepOptions.then("x").retry(policy)} does not
 * compile: a factory called on options would start again from the defaults and drop what came before it.
 */
public sealed interface StepOptions permits StepSettings {
    /** No explicit next step (the next one in the branch), no delay, the default retry policy. */
    static StepOptions defaults() {
        return StepSettings.DEFAULTS;
    }

    /** After this step, go to {@code step} instead of the next one in the branch. */
    static StepOptions then(String step) {
        return defaults().andThen(step);
    }

    /** Wait {@code delay} after the previous step before running this one. */
    static StepOptions delay(Duration delay) {
        return defaults().andDelay(delay);
    }

    /** Retry a failing try as {@code policy} says (the default: {@link RetryPolicy#defaults()}). */
    static StepOptions retry(RetryPolicy policy) {
        return defaults().andRetry(policy);
    }

    /**
     * The step's code runs inside the transaction that records its completion and gets that transaction's JDBC
     * connection from {@link StepContext#connection()}: its writes to the same database commit together with the
     * completion or not at all (exactly once for local effects).
     */
    static StepOptions transactional() {
        return defaults().andTransactional();
    }

    /**
     * The step's code must finish within {@code timeout}; otherwise the try is recorded as failed with a
     * {@link StepTimeoutException}, its thread is interrupted, and the retry policy decides what follows.
     */
    static StepOptions timeout(Duration timeout) {
        return defaults().andTimeout(timeout);
    }

    /**
     * The step counts against {@code limit} (concurrency, per node or rate; see {@link Limit}): it waits, queued, while
     * the limit is reached. A definition's own limits ({@link Flow#limit}) count this step too.
     */
    static StepOptions limit(Limit limit) {
        return defaults().andLimit(limit);
    }

    /** These options, with {@code limit} (see {@link #limit(Limit)}); one limit of each kind. */
    StepOptions andLimit(Limit limit);

    /** The step's own limits (not its definition's). */
    java.util.List<Limit> limits();

    /** These options, going to {@code step} after this step. */
    StepOptions andThen(String step);

    /** These options, with {@code delay} before the step runs. */
    StepOptions andDelay(Duration delay);

    /** These options, retrying as {@code policy} says. */
    StepOptions andRetry(RetryPolicy policy);

    /** These options, with the step's code in the transaction that records it (see {@link #transactional()}). */
    StepOptions andTransactional();

    /** These options, with a timeout for the step's code (see {@link #timeout(Duration)}). */
    StepOptions andTimeout(Duration timeout);

    /** The explicit next step, or {@code null}. */
    String next();

    /** How long after the previous step this one runs; zero for at once. */
    Duration startDelay();

    /** The retry policy of a failing try. */
    RetryPolicy retryPolicy();

    /** The step timeout, or null for none. */
    Duration stepTimeout();

    /** Whether the step's code runs in the transaction that records it. */
    boolean isTransactional();
}

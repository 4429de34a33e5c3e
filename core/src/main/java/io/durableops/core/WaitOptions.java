package io.durableops.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a wait step ({@link Flow#waitUntil}, {@link Flow#awaitSignal}, {@link Flow#awaitChildren},
 * {@link Flow#call}): how long to wait, where to go on timeout, how often to re-check a condition, where to store
 * what arrived, and how many children must finish. Immutable; chain from {@link #defaults()} or a static factory.
 */
public final class WaitOptions {
    /** How many children an {@link Flow#awaitChildren} step waits for. */
    public enum Children { ALL, ANY, AT_LEAST }

    private static final WaitOptions DEFAULTS = new WaitOptions(null, null, Duration.ofSeconds(30), null, null, null, Children.ALL, 0);

    private final Duration timeout;
    private final String onTimeout;
    private final Duration every;
    private final String then;
    private final String storeAs;
    private final String onChildFailure;
    private final Children children;
    private final int atLeast;

    private WaitOptions(Duration timeout, String onTimeout, Duration every, String then, String storeAs, String onChildFailure,
                        Children children, int atLeast) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) throw new ConfigurationException("a wait timeout must be positive, was " + timeout);
        if (every.isNegative() || every.isZero()) throw new ConfigurationException("a re-check interval must be positive, was " + every);
        if (timeout != null && !io.durableops.core.internal.Limits.fitsAhead(timeout)) {
            throw new ConfigurationException("a wait timeout must be at most 1000 years (a deadline that far ahead could not be stored), was " + timeout);
        }
        if (children == Children.AT_LEAST && atLeast < 1) throw new ConfigurationException("atLeast(n) needs n >= 1, was " + atLeast);
        this.timeout = timeout;
        this.onTimeout = onTimeout;
        this.every = every;
        this.then = then;
        this.storeAs = storeAs;
        this.onChildFailure = onChildFailure;
        this.children = children;
        this.atLeast = atLeast;
    }

    /** No timeout (waits for ever), re-check every 30 s, all children, failures fail the operation. */
    public static WaitOptions defaults() {
        return DEFAULTS;
    }

    /** Wait at most {@code timeout}, counted from when the wait step was reached; then fail, or go to {@link #onTimeout}. */
    public static WaitOptions timeout(Duration timeout) {
        return DEFAULTS.andTimeout(timeout);
    }

    public WaitOptions andTimeout(Duration timeout) {
        return new WaitOptions(Objects.requireNonNull(timeout, "timeout"), onTimeout, every, then, storeAs, onChildFailure, children, atLeast);
    }

    /** On timeout go to {@code step} instead of failing the operation. */
    public WaitOptions onTimeout(String step) {
        return new WaitOptions(timeout, Objects.requireNonNull(step, "step"), every, then, storeAs, onChildFailure, children, atLeast);
    }

    /** How often a {@link Flow#waitUntil} condition is evaluated again (a signal to the operation re-checks at once). */
    public WaitOptions every(Duration interval) {
        return new WaitOptions(timeout, onTimeout, Objects.requireNonNull(interval, "interval"), then, storeAs, onChildFailure, children, atLeast);
    }

    /** After the wait, go to {@code step} instead of the next step of the branch. */
    public WaitOptions then(String step) {
        return new WaitOptions(timeout, onTimeout, every, Objects.requireNonNull(step, "step"), storeAs, onChildFailure, children, atLeast);
    }

    /**
     * The global a signal's payload or the children's results are stored under. Defaults to the signal's name, and
     * to {@code "children"} for children (a list of {@code {id, definition, status, results, failureReason}}).
     */
    public WaitOptions storeAs(String global) {
        return new WaitOptions(timeout, onTimeout, every, then, Objects.requireNonNull(global, "global"), onChildFailure, children, atLeast);
    }

    /** When a child fails (or expires, or is cancelled), go to {@code step} instead of failing the operation. */
    public WaitOptions onChildFailure(String step) {
        return new WaitOptions(timeout, onTimeout, every, then, storeAs, Objects.requireNonNull(step, "step"), children, atLeast);
    }

    /** Continue as soon as one child has completed. */
    public WaitOptions anyChild() {
        return new WaitOptions(timeout, onTimeout, every, then, storeAs, onChildFailure, Children.ANY, 0);
    }

    /** Continue as soon as {@code n} children have completed. */
    public WaitOptions atLeast(int n) {
        return new WaitOptions(timeout, onTimeout, every, then, storeAs, onChildFailure, Children.AT_LEAST, n);
    }

    public Duration waitTimeout() {
        return timeout;
    }

    public String timeoutStep() {
        return onTimeout;
    }

    public Duration recheckEvery() {
        return every;
    }

    public String next() {
        return then;
    }

    public String storeKey() {
        return storeAs;
    }

    public String childFailureStep() {
        return onChildFailure;
    }

    public Children childrenRequired() {
        return children;
    }

    public int atLeastCount() {
        return atLeast;
    }
}

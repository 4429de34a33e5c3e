package io.durableops.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How often a failing step is tried and how long to wait in between: exponential backoff with jitter, a maximum
 * number of attempts, and exception types that are never retried. Immutable; every {@code with...} returns a copy.
 *
 * <p>The default ({@link #defaults()}) tries 5 times, waiting about 1 s, 2 s, 4 s and 8 s (±20%).
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(10), 2.0, 0.2, List.of());

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final List<Class<? extends Throwable>> nonRetryable;

    private RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                        List<Class<? extends Throwable>> nonRetryable) {
        if (maxAttempts < 1) throw new ConfigurationException("maxAttempts must be at least 1 (1 means no retry), was " + maxAttempts);
        if (initialDelay.isNegative()) throw new ConfigurationException("initialDelay must not be negative, was " + initialDelay);
        if (maxDelay.compareTo(initialDelay) < 0) throw new ConfigurationException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        if (!io.durableops.core.internal.Limits.fitsAhead(maxDelay)) {
            throw new ConfigurationException("maxDelay must be at most 1000 years (a retry that far ahead could not be stored), was " + maxDelay);
        }
        if (!(multiplier >= 1.0)) throw new ConfigurationException("multiplier must be at least 1.0, was " + multiplier);
        if (!(jitter >= 0.0 && jitter < 1.0)) throw new ConfigurationException("jitter must be in [0, 1), was " + jitter);
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.nonRetryable = List.copyOf(nonRetryable);
    }

    /** 5 attempts, 1 s initial delay doubling up to 10 min, ±20% jitter. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** Exponential backoff with the default timing and {@code maxAttempts} tries in all. */
    public static RetryPolicy exponential(int maxAttempts) {
        return DEFAULTS.withMaxAttempts(maxAttempts);
    }

    /** {@code maxAttempts} tries with the same {@code delay} between them and no jitter. */
    public static RetryPolicy fixed(int maxAttempts, Duration delay) {
        return new RetryPolicy(maxAttempts, delay, delay, 1.0, 0.0, List.of());
    }

    /** One try; the first failure fails the operation. */
    public static RetryPolicy none() {
        return DEFAULTS.withMaxAttempts(1);
    }

    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, nonRetryable);
    }

    public RetryPolicy withInitialDelay(Duration initialDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay.compareTo(initialDelay) < 0 ? initialDelay : maxDelay, multiplier, jitter, nonRetryable);
    }

    public RetryPolicy withMaxDelay(Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, Objects.requireNonNull(maxDelay, "maxDelay"), multiplier, jitter, nonRetryable);
    }

    public RetryPolicy withMultiplier(double multiplier) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, nonRetryable);
    }

    /** A fraction in [0, 1): each delay is varied at random by up to this share, so retries do not stampede. */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, nonRetryable);
    }

    /** Failures of these types (or subtypes) fail the step at once, whatever attempts are left. */
    @SafeVarargs
    public final RetryPolicy withNonRetryable(Class<? extends Throwable>... types) {
        List<Class<? extends Throwable>> all = new ArrayList<>(nonRetryable);
        all.addAll(List.of(types));
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, all);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a step that has failed {@code failedAttempts} times, the last time with {@code failure}, gets another try. */
    public boolean shouldRetry(int failedAttempts, Throwable failure) {
        if (failedAttempts >= maxAttempts) return false;
        for (Class<? extends Throwable> type : nonRetryable) {
            if (type.isInstance(failure)) return false;
        }
        return true;
    }

    /**
     * The wait before try number {@code failedAttempts + 1}. {@code random} is a number in [0, 1) that picks the
     * jitter, so callers (and tests) decide where randomness comes from.
     */
    public Duration delayAfter(int failedAttempts, double random) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        double factor = 1.0 + jitter * (2.0 * random - 1.0);
        // why cap after jitter: maxDelay is a promise to the user, jitter must not push past it
        return Duration.ofMillis(Math.max(0L, Math.round(Math.min(base * factor, maxDelay.toMillis()))));
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", nonRetryable=" + nonRetryable + "]";
    }
}

package io.durableops.core;

import io.durableops.core.internal.Limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Options for starting an operation: when its first step runs and its idempotency key. Immutable; start from a
 * static factory and chain, e.g. {@code EnqueueOptions.idempotencyKey("order-7").andDelay(Duration.ofMinutes(5))}.
 */
public final class EnqueueOptions {
    private static final String FAR = "a time that far ahead could not be stored";
    private static final EnqueueOptions DEFAULTS = new EnqueueOptions(null, Duration.ZERO, null, null, null);

    private final Instant runAt;
    private final Duration delay;
    private final String idempotencyKey;
    private final Duration deadline;
    private final Integer priority;

    private EnqueueOptions(Instant runAt, Duration delay, String idempotencyKey, Duration deadline, Integer priority) {
        if (priority != null && (priority < -1000 || priority > 1000)) throw new ConfigurationException("a priority must be -1000 to 1000, was " + priority);
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) throw new ConfigurationException("a deadline must be positive, was " + deadline);
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new ConfigurationException("an enqueue delay must not be negative, was " + delay);
        if (runAt != null) Limits.requireStorable(runAt, "runAt(...)");
        if (!Limits.fitsAhead(delay)) throw new ConfigurationException("an enqueue delay must be at most 1000 years (" + FAR + "), was " + delay);
        if (deadline != null && !Limits.fitsAhead(deadline)) {
            throw new ConfigurationException("a deadline must be at most 1000 years (" + FAR + "), was " + deadline);
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new ConfigurationException("an idempotency key must be 1 to 200 characters, was '" + idempotencyKey + "'");
        }
        this.runAt = runAt;
        this.delay = delay;
        this.idempotencyKey = idempotencyKey;
        this.deadline = deadline;
        this.priority = priority;
    }

    public static EnqueueOptions defaults() {
        return DEFAULTS;
    }

    /** The first step runs at {@code instant} (or at once if it has passed). */
    public static EnqueueOptions runAt(Instant instant) {
        return DEFAULTS.andRunAt(instant);
    }

    /** The first step runs after {@code delay}. */
    public static EnqueueOptions delay(Duration delay) {
        return DEFAULTS.andDelay(delay);
    }

    /**
     * At most one operation of the definition exists with this key: enqueueing again with the same key and the same
     * input returns the existing operation's id and creates nothing; with different input it throws
     * {@link IdempotencyKeyConflictException}.
     */
    public static EnqueueOptions idempotencyKey(String key) {
        return DEFAULTS.andIdempotencyKey(key);
    }

    public EnqueueOptions andRunAt(Instant instant) {
        return new EnqueueOptions(Objects.requireNonNull(instant, "instant"), Duration.ZERO, idempotencyKey, deadline, priority);
    }

    public EnqueueOptions andDelay(Duration delay) {
        return new EnqueueOptions(null, delay, idempotencyKey, deadline, priority);
    }

    public EnqueueOptions andIdempotencyKey(String key) {
        return new EnqueueOptions(runAt, delay, Objects.requireNonNull(key, "key"), deadline, priority);
    }

    /**
     * The operation must finish within {@code deadline} of being enqueued, or it ends as its definition's
     * {@link Flow#timeout} says (EXPIRED unless the definition says FAILED), with its running children cancelled.
     */
    public static EnqueueOptions deadline(Duration deadline) {
        return DEFAULTS.andDeadline(deadline);
    }

    public EnqueueOptions andDeadline(Duration deadline) {
        return new EnqueueOptions(runAt, delay, idempotencyKey, Objects.requireNonNull(deadline, "deadline"), priority);
    }

    /**
     * The operation's priority (-1000 to 1000, higher first; default: its definition's {@link Flow#priority}, else 0):
     * when a {@link Limit} frees a place, the waiting step of the highest priority takes it, then the oldest.
     */
    public static EnqueueOptions priority(int priority) {
        return DEFAULTS.andPriority(priority);
    }

    public EnqueueOptions andPriority(int priority) {
        return new EnqueueOptions(runAt, delay, idempotencyKey, deadline, priority);
    }

    /** The priority given, if any (else the definition's). */
    public Optional<Integer> priority() {
        return Optional.ofNullable(priority);
    }

    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** When the first step should run, given the current instant. */
    public Instant firstRunAt(Instant now) {
        return runAt != null ? runAt : now.plus(delay);
    }

    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }
}

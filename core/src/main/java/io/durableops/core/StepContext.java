package io.durableops.core;

import com.fasterxml.jackson.core.type.TypeReference;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a step's code sees: the operation's globals, the attempt's arguments, and the means to steer the flow.
 * Changes to globals are saved atomically with the step's completion; if the step fails they are discarded.
 */
public interface StepContext {
    OperationId operationId();

    String definition();

    /** The name of the step being run. */
    String step();

    /** 1 for the first try of this step visit, 2 for the first retry, and so on. */
    int attempt();

    /** The instant of the injected clock. Use it instead of {@code Instant.now()} so tests can set time. */
    Instant now();

    /** The global under {@code key}; throws a {@link DurableOpsException} naming the known keys if it is absent. */
    <T> T get(String key, Class<T> type);

    <T> T get(String key, TypeReference<T> type);

    /** The global under {@code key}, or empty. */
    <T> Optional<T> find(String key, Class<T> type);

    /**
     * The child summaries a wait for children stored in the global {@code key} (its {@code storeAs}, default
     * {@code "children"}), typed; empty if the global is absent. Throws {@link SerializationException} if the global
     * holds something else.
     */
    java.util.List<ChildSummary> children(String key);

    /**
     * Sets a global. The value is converted to JSON at once, so a value Jackson cannot write fails here with a
     * {@link SerializationException} naming the key.
     */
    StepContext set(String key, Object value);

    StepContext remove(String key);

    /** All globals as they stand now, including changes made by this step. */
    Data globals();

    /**
     * The arguments this attempt was scheduled with (the operation's input for the first step, otherwise what the
     * previous step passed with {@link #pass}). Stored encrypted in the attempts table.
     */
    Data args();

    /** Passes a value to the next step only, as one of its {@link #args()}. */
    StepContext pass(String key, Object value);

    /** The next step will be {@code step} instead of the default. */
    void goTo(String step);

    /** The next step will be the first step of {@code branch}. */
    void jumpTo(String branch);

    /** The next step will be {@code step}, which must belong to {@code branch}. */
    void jumpTo(String branch, String step);

    /** The next step will not start before {@code delay} has passed (back_ops' per-action {@code perform_at}). */
    void delayNext(Duration delay);

    /** The next step will not start before {@code instant}. */
    void runNextAt(Instant instant);

    /**
     * A key that is the same for every retry of this step visit and different for any other visit (another
     * operation, another step, or the same step reached again by a loop). Pass it to outside systems that
     * deduplicate requests, such as payment providers.
     */
    String idempotencyKey();

    /**
     * Ends the operation as {@link OperationStatus#FAILED} with {@code reason}, without retries. Never returns.
     * The reason is stored in clear: do not put secrets in it.
     */
    void failWith(String reason);

    /**
     * The JDBC connection of the transaction that will record this step's completion. Only for steps declared with
     * {@link StepOptions#transactional()}; do not commit, roll back or close it.
     *
     * @throws IllegalStateException if the step is not transactional
     */
    java.sql.Connection connection();

    /**
     * Starts another operation if and only if this step's completion commits; its first step is dispatched after
     * the commit. Returns the id it will have. Validated like {@link OperationScheduler#enqueue} (unknown definition,
     * missing input, unserialisable input), at once.
     */
    OperationId enqueueAfterCommit(String definition, java.util.Map<String, ?> input);

    /**
     * Starts a child operation if and only if this step's completion commits (its parent is this operation). A later
     * {@link Flow#awaitChildren} step waits for it; cancelling this operation cancels it.
     */
    OperationId startChild(String definition, java.util.Map<String, ?> input);

    /** Hands {@code work} to the dispatcher if and only if this step's completion commits; see {@link StagedWork}. */
    void stage(StagedWork work);
}

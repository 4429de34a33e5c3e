package io.durableops.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts operations, looks them up and steers them. Thread-safe; obtain it from {@link DurableOps#scheduler()}.
 */
public interface OperationScheduler {
    /**
     * Starts an operation of the definition registered as {@code definition} with {@code input} (which also
     * becomes its initial globals). The operation row and its first attempt are stored in one transaction, then
     * the first step is dispatched.
     *
     * @throws UnknownDefinitionException if no definition has that name; nothing is stored
     * @throws MissingInputException if a required input is absent; nothing is stored
     * @throws SerializationException if a value cannot be written as JSON; nothing is stored
     */
    default OperationId enqueue(String definition, Map<String, ?> input) {
        return enqueue(definition, input, EnqueueOptions.defaults());
    }

    OperationId enqueue(String definition, Map<String, ?> input, EnqueueOptions options);

    /**
     * Starts one operation of {@code definition} per input, in the order given: all their rows are stored in one
     * transaction, written as JDBC batches and committed once (far cheaper than one enqueue each), then their first steps are
     * dispatched. Either every operation is stored or, if anything fails, none is. Returns their ids in input order.
     *
     * <p>On a node whose workers run fast-path steps, most of the batch goes straight to those workers instead of
     * through the dispatcher, as for {@link #enqueue(String, Map, EnqueueOptions) enqueue}; beyond about a thousand
     * kept on one node, the rest go to the dispatcher, which spreads them over the nodes.
     *
     * @param options applied to every operation (first run, deadline); they must not carry an idempotency key
     * @throws UnknownDefinitionException if no definition has that name; nothing is stored
     * @throws MissingInputException if any input lacks a required value; nothing is stored
     * @throws SerializationException if a value cannot be written as JSON; nothing is stored
     * @throws IllegalArgumentException if {@code options} carry an idempotency key (it names one operation; enqueue
     *         keyed operations one at a time); nothing is stored
     * @throws StorageException if the database fails. If the connection broke during the commit, the batch may have
     *         been stored all the same, as with any commit whose answer is lost; where starting an operation twice
     *         matters, enqueue one at a time with idempotency keys, which a retry can repeat safely
     */
    List<OperationId> enqueueAll(String definition, List<? extends Map<String, ?>> inputs, EnqueueOptions options);

    /** As {@link #enqueueAll(String, List, EnqueueOptions)} with default options: every first step due now. */
    default List<OperationId> enqueueAll(String definition, List<? extends Map<String, ?>> inputs) {
        return enqueueAll(definition, inputs, EnqueueOptions.defaults());
    }

    /** Starts an operation whose first step runs at {@code at}. */
    default OperationId schedule(String definition, Map<String, ?> input, Instant at) {
        return enqueue(definition, input, EnqueueOptions.runAt(at));
    }

    /** Starts an operation whose first step runs after {@code delay}. */
    default OperationId schedule(String definition, Map<String, ?> input, Duration delay) {
        return enqueue(definition, input, EnqueueOptions.delay(delay));
    }

    /**
     * Writes the operation inside the caller's own JDBC transaction on {@code connection} (which must reach the
     * database Durable Ops uses): it exists if and only if the caller commits, and nothing runs before that commit.
     * After the commit the first step is dispatched within moments (this node checks shortly after the call), and at
     * the latest at the relay's next pass. The connection is not committed, rolled back or closed.
     */
    OperationId enqueue(java.sql.Connection connection, String definition, Map<String, ?> input, EnqueueOptions options);

    default OperationId enqueue(java.sql.Connection connection, String definition, Map<String, ?> input) {
        return enqueue(connection, definition, input, EnqueueOptions.defaults());
    }

    /**
     * Sends the signal {@code name} with an optional {@code payload} to an operation. A step waiting for it
     * ({@link Flow#awaitSignal}) is woken at once; a signal that arrives before the operation reaches its wait is kept
     * and consumed there. Any wait step of the operation is re-evaluated. A PAUSED operation keeps the signal (see
     * {@link #pendingSignals}) for the wait that runs once an operator moves or retries it.
     *
     * @throws OperationNotFoundException if there is no such operation
     * @throws IllegalOperationStateException if the operation has finished (the signal is not stored)
     */
    void signal(OperationId id, String name, Object payload);

    /**
     * Waits for the operation to end, up to {@code timeout}, without polling: woken at once when it ends on this node,
     * and within the relay's next pass when it ends on another. Returns it when it COMPLETED (its results in
     * {@link OperationView#results()}).
     *
     * @throws OperationFailedException if it ended FAILED, EXPIRED or CANCELLED (with how it ended)
     * @throws AwaitTimeoutException if it had not ended within {@code timeout}; it runs on
     * @throws OperationNotFoundException if there is no such operation
     */
    OperationView await(OperationId id, java.time.Duration timeout);

    /**
     * A future of the operation's end, completed as {@link #await} returns: with the COMPLETED operation, or exceptionally
     * with an {@link OperationFailedException}. A PAUSED operation has not ended.
     *
     * @throws OperationNotFoundException if there is no such operation
     */
    java.util.concurrent.CompletableFuture<OperationView> resultAsync(OperationId id);

    /** The names of the signals the operation has received that no wait has consumed yet, oldest first. */
    List<String> pendingSignals(OperationId id);

    /**
     * The operations whose search attribute {@code name} (declared with {@link Flow#searchAttributes}) has
     * {@code value}, newest first; {@code definition} may be null for any definition.
     */
    List<OperationId> findBySearchAttribute(String definition, String name, Object value);

    /** The operation, with its globals and results decrypted. */
    Optional<OperationView> find(OperationId id);

    /** As {@link #find} but throws {@link OperationNotFoundException} when there is none. */
    default OperationView get(OperationId id) {
        return find(id).orElseThrow(() -> new OperationNotFoundException(id));
    }

    /** Every attempt of the operation in the order they were created, each with its errors. */
    List<AttemptView> attempts(OperationId id);

    /**
     * Resumes a FAILED, EXPIRED or CANCELLED operation at the step where it stopped, with that attempt's recorded
     * arguments. Steps that succeeded are not run again.
     */
    void retry(OperationId id);

    /** The operation's scheduled or running attempt will never run (its result is discarded); the operation is EXPIRED. */
    void expire(OperationId id);

    /** Marks the operation FAILED with {@code reason}; nothing more runs until it is retried. */
    void fail(OperationId id, String reason);

    /** Marks the operation CANCELLED; nothing more runs. */
    void cancel(OperationId id);

    /** Makes the operation's delayed attempt due now. */
    void runNow(OperationId id);
}

package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.IdempotencyKeyConflictException;
import io.durableops.core.MissingInputException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.internal.Limits;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An operation about to be written: validated input, its row and its first attempt. Shared by enqueue, enqueue in
 * the caller's transaction and operations a step starts after its commit.
 */
record NewOperation(CompiledDefinition definition, ObjectNode input, Rows.Operation operation, Rows.Attempt attempt) {

    /** Validates and prepares; throws the specific exception for an unknown definition or bad input, storing nothing. */
    static NewOperation prepare(Engine engine, String definitionName, Map<String, ?> input, EnqueueOptions options,
                                int dispatchPending, UUID parentId) {
        CompiledDefinition definition = engine.definitions().get(definitionName);
        Map<String, ?> given = input == null ? Map.of() : input;
        Set<String> present = new LinkedHashSet<>();
        given.forEach((key, value) -> {
            if (value != null) present.add(key);
        });
        requireInputs(definition, present);
        return prepared(engine, definition, engine.codec().toObject(given, "input"), options, dispatchPending, parentId);
    }

    /** As {@link #prepare(Engine, String, Map, EnqueueOptions, int, UUID)}, from input that is JSON already. */
    static NewOperation prepare(Engine engine, CompiledDefinition definition, ObjectNode input, EnqueueOptions options,
                                int dispatchPending, UUID parentId) {
        requireInputs(definition, present(input));
        return prepared(engine, definition, input, options, dispatchPending, parentId);
    }

    /** The keys of {@code input} whose value is not null. */
    static Set<String> present(ObjectNode input) {
        Set<String> present = new LinkedHashSet<>();
        input.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) present.add(e.getKey());
        });
        return present;
    }

    /** Throws {@link MissingInputException} unless {@code present} has every input {@code definition} requires. */
    static void requireInputs(CompiledDefinition definition, Set<String> present) {
        Set<String> missing = new LinkedHashSet<>(definition.requiredInputs());
        missing.removeAll(present);
        if (!missing.isEmpty()) throw new MissingInputException(definition.name(), missing);
    }

    private static NewOperation prepared(Engine engine, CompiledDefinition definition, ObjectNode globals, EnqueueOptions options,
                                         int dispatchPending, UUID parentId) {
        Instant now = engine.now();
        UUID operationId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        StepDef first = definition.step(definition.start()).orElseThrow();
        Instant firstRun = Limits.requirePlus(options.firstRunAt(now), first.options().startDelay(), "the first run of '" + definition.name() + "'");
        if (firstRun.isBefore(now)) firstRun = now;
        Duration timeout = options.deadline().orElse(definition.timeout());
        Instant deadline = timeout == null ? null : Limits.requirePlus(now, timeout, "the deadline of '" + definition.name() + "'");
        byte[] sealed = engine.codec().seal(globals, "the input of '" + definition.name() + "'");
        Rows.Operation operation = new Rows.Operation(operationId, definition.name(), definition.version(), OperationStatus.RUNNING,
                definition.start(), attemptId, sealed, null, null, options.idempotencyKey().orElse(null), parentId, now, now, null,
                deadline, io.durableops.core.internal.telemetry.Telemetry.encode(engine.telemetry().enqueued(definition.name())),
                Admission.queueing(definition, globals, options.priority().orElse(null), now));
        Rows.Attempt attempt = Rows.Attempt.scheduled(attemptId, operationId, definition.start(), 1, sealed, now,
                Waits.deadlineOf(first, firstRun)).dueAt(firstRun).dispatchPending(dispatchPending);
        return new NewOperation(definition, engine.codec().normalize(globals), operation, attempt);
    }

    OperationId id() {
        return OperationId.of(operation.id());
    }

    Rows.Pending pending() {
        return Rows.Pending.of(attempt, definition.name());
    }

    /** Thrown out of a transaction when the idempotency key is taken, so the transaction rolls back first. */
    static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    /**
     * Inserts the operation and its first attempt in a transaction of its own; if the idempotency key is taken,
     * rolls back and returns the operation holding it (same input) or throws {@link IdempotencyKeyConflictException}.
     */
    OperationId insertOrFind(Engine engine) {
        try {
            return engine.tx().run("enqueue operation '" + definition.name() + "'", c -> {
                insert(engine, c);
                return id();
            });
        } catch (KeyTaken taken) {
            // why a fresh transaction: a locking read after the failed insert makes concurrent enqueues deadlock on MySQL
            return engine.tx().auto("find the holder of idempotency key '" + operation.idempotencyKey() + "'", c -> holder(engine, c));
        }
    }

    /**
     * Inserts operations that carry no idempotency key, with their first attempts, in one transaction of their own, as
     * JDBC batches: all of them or, if anything fails, none.
     */
    static void insertAll(Engine engine, List<NewOperation> operations) {
        engine.tx().run("enqueue " + operations.size() + " operations of '" + operations.get(0).definition().name() + "'", c -> {
            engine.store().insertOperations(c, operations.stream().map(NewOperation::operation).toList());
            engine.store().insertAttempts(c, operations.stream().map(NewOperation::attempt).toList());
            for (NewOperation op : operations) SearchAttributes.save(engine, c, op.operation().id(), op.definition(), op.input());
            return null;
        });
    }

    /**
     * As {@link #insertOrFind(Engine)} on the caller's connection and transaction, which is never committed or rolled
     * back here; the holder of a taken key is read with a lock so that it is seen although the transaction began earlier.
     */
    OperationId insertOrFind(Engine engine, Connection c) throws SQLException {
        // why a savepoint: on PostgreSQL a failed statement aborts the whole transaction, and the holder of a taken
        // key is read in the same one; rolled back to the savepoint, the transaction goes on (the caller's, or a step's)
        java.sql.Savepoint before = operation.idempotencyKey() != null && !c.getAutoCommit() ? c.setSavepoint() : null;
        try {
            insert(engine, c);
            if (before != null) c.releaseSavepoint(before);
            return id();
        } catch (KeyTaken taken) {
            if (before != null) c.rollback(before);
            return holder(engine, c);
        }
    }

    private void insert(Engine engine, Connection c) throws SQLException {
        try {
            engine.store().insertOperation(c, operation);
        } catch (SQLException e) {
            if (operation.idempotencyKey() != null && engine.tx().isDuplicateKey(e)) throw new KeyTaken();
            throw e;
        }
        engine.store().insertAttempt(c, attempt);
        SearchAttributes.save(engine, c, operation.id(), definition, input);
    }

    private OperationId holder(Engine engine, Connection c) throws SQLException {
        String key = operation.idempotencyKey();
        Optional<Rows.Operation> existing = engine.store().findByIdempotencyKey(c, definition.name(), key);
        if (existing.isEmpty()) {
            throw new IllegalStateException("idempotency key '" + key + "' of '" + definition.name() + "' was taken, but its operation is gone");
        }
        OperationId existingId = OperationId.of(existing.get().id());
        Rows.Attempt first = engine.store().findVisit(c, existingId.value(), 1).orElseThrow();
        JsonNode existingInput = engine.codec().open(first.args(), "the input of operation " + existingId);
        if (!existingInput.equals(input)) throw new IdempotencyKeyConflictException(definition.name(), key, existingId);
        return existingId;
    }
}

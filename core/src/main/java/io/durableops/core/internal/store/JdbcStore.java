package io.durableops.core.internal.store;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.durableops.core.internal.store.Columns.ATTEMPT_COLUMNS;
import static io.durableops.core.internal.store.Columns.INSERT_ATTEMPT;
import static io.durableops.core.internal.store.Columns.INSERT_OPERATION;
import static io.durableops.core.internal.store.Columns.LOAD_FOR_RUN;
import static io.durableops.core.internal.store.Columns.OPERATION_COLUMNS;
import static io.durableops.core.internal.store.Columns.attempt;
import static io.durableops.core.internal.store.Columns.bindAttempt;
import static io.durableops.core.internal.store.Columns.bindOperation;
import static io.durableops.core.internal.store.Columns.bindOperationChange;
import static io.durableops.core.internal.store.Columns.operation;
import static io.durableops.core.internal.store.SqlValues.batch;
import static io.durableops.core.internal.store.SqlValues.setInstant;

/**
 * The SQL of operations and their attempts, with bound parameters only (the relay's in {@link RelayStore}, failed tries
 * in {@link ErrorStore}, the rows' columns in {@link Columns}, values bound as {@link SqlValues} says). Methods take the
 * connection of the caller's transaction; {@link Tx} decides where transactions begin and end.
 */
public final class JdbcStore {
    private final Dialect dialect;

    private final Turns turns;

    public JdbcStore(Dialect dialect) {
        this.dialect = dialect;
        this.turns = new Turns(dialect);
    }

    /** The fast path's deferred bookkeeping: which steps are recorded, and taking an operation over mid-turn. */
    public Turns turns() {
        return turns;
    }

    /** {@code dispatch_pending} of an attempt written in a caller's transaction: only the relay can dispatch it. */
    public static final int AFTER_CALLER_COMMIT = 2;

    // ---- operations ------------------------------------------------------------------------------------------

    public void insertOperation(Connection c, Rows.Operation o) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, INSERT_OPERATION)) {
            PreparedStatement ps = p.ps();
            bindOperation(ps, o);
            ps.executeUpdate();
        }
    }

    /**
     * Inserts operations as one JDBC batch (with MySQL Connector/J's {@code rewriteBatchedStatements}, multi-row
     * {@code INSERT}s). A failure of any row fails the call; the caller's transaction then rolls back all of them.
     */
    public void insertOperations(Connection c, List<Rows.Operation> operations) throws SQLException {
        batch(c, INSERT_OPERATION, operations, Columns::bindOperation);
    }

    public Optional<Rows.Operation> findOperation(Connection c, UUID id) throws SQLException {
        return readOperation(c, id, "");
    }

    /**
     * The operation, read with a lock held until the transaction ends: a locking read sees the latest committed row
     * (not the snapshot MySQL's REPEATABLE READ would show), and nobody changes the row meanwhile. Every transaction
     * that decides a change from what the operation is now (operator actions, signals, wake-ups, lease recovery) reads
     * it so, first: the operation row, then its attempts, is the order every writer locks them in.
     */
    public Optional<Rows.Operation> lockOperation(Connection c, UUID id) throws SQLException {
        return readOperation(c, id, " FOR UPDATE");
    }

    private Optional<Rows.Operation> readOperation(Connection c, UUID id, String lock) throws SQLException {
        return Sql.first(c, "SELECT " + OPERATION_COLUMNS + " FROM durable_operations WHERE id = ?" + lock,
                ps -> ps.setString(1, id.toString()), Columns::operation);
    }

    /** The operations of {@code ids} that exist. */
    public List<Rows.Operation> findOperations(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) return List.of();
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        return Sql.list(c, "SELECT " + OPERATION_COLUMNS + " FROM durable_operations WHERE id IN (" + in + ")", 0, ps -> {
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 1, ids.get(i).toString());
        }, Columns::operation);
    }

    /**
     * The operation of {@code definition} holding {@code key}. A locking read, so that it sees the latest committed
     * row even inside a transaction that began before that row was committed.
     */
    public Optional<Rows.Operation> findByIdempotencyKey(Connection c, String definition, String key) throws SQLException {
        return Sql.first(c, "SELECT " + OPERATION_COLUMNS + " FROM durable_operations WHERE definition = ? AND idempotency_key = ? FOR UPDATE",
                ps -> {
                    ps.setString(1, definition);
                    ps.setString(2, key);
                }, Columns::operation);
    }

    /**
     * Moves a running operation on from the attempt it is at: new status, pointer, globals and results. Returns
     * false (and changes nothing) if the operation is no longer running or no longer at {@code fromAttempt}.
     */
    public boolean advanceOperation(Connection c, UUID id, UUID fromAttempt, OperationStatus status, String currentStep,
                                    UUID currentAttempt, byte[] globals, byte[] results, String failureReason,
                                    Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_operations SET status = ?, current_step = ?, "
                + "current_attempt_id = ?, globals = ?, results = ?, failure_reason = ?, updated_at = ?, finished_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND current_attempt_id = ?")) {
            PreparedStatement ps = p.ps();
            int i = bindOperationChange(ps, 0, status, currentStep, currentAttempt, globals, results, failureReason, now);
            ps.setString(++i, id.toString());
            ps.setString(++i, fromAttempt.toString());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records a step's completion: the operation moves on from {@code pointer} ({@link #advanceOperation}) and the try
     * this runner claimed becomes SUCCEEDED ({@link #finishAttempt}), both or neither. {@code pointer} is the attempt the
     * operation row points at: the attempt itself, or, after steps recorded alone ({@link Turns#recordAlone}), the one
     * their turn began at. On MySQL/MariaDB in one statement that updates both rows and settles the turn's attempts
     * ({@link Turns#settle}) with them; elsewhere in two, with no turn to settle.
     */
    public boolean completeStep(Connection c, UUID operationId, UUID pointer, UUID attemptId, int attemptCount, OperationStatus status,
                                String currentStep, UUID currentAttempt, byte[] globals, byte[] results, String failureReason,
                                Instant now) throws SQLException {
        return dialect.completeStep(this, c, operationId, pointer, attemptId, attemptCount, status, currentStep, currentAttempt, globals,
                results, failureReason, now);
    }


    /** Ends a running operation at its current attempt (failure, expiry, cancellation); globals stay as they are. */
    public boolean endOperation(Connection c, UUID id, UUID atAttempt, OperationStatus status, String reason, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_operations SET status = ?, failure_reason = ?, "
                + "updated_at = ?, finished_at = ? WHERE id = ? AND status = 'RUNNING' AND current_attempt_id = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, status.name());
            ps.setString(2, reason);
            setInstant(ps, 3, now);
            setInstant(ps, 4, now);
            ps.setString(5, id.toString());
            ps.setString(6, atAttempt.toString());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Sets an operation's status whatever attempt it is at, if it is currently in {@code from}. An ended operation brought
     * back gives up its place under a per-key limit: it takes one again, in its old place in line, before it runs.
     */
    public boolean changeOperationStatus(Connection c, UUID id, OperationStatus from, OperationStatus to, String reason, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_operations SET status = ?, failure_reason = ?, "
                + "updated_at = ?, finished_at = ?, admitted = COALESCE(?, admitted) WHERE id = ? AND status = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, to.name());
            ps.setString(2, reason);
            setInstant(ps, 3, now);
            setInstant(ps, 4, to.isTerminal() ? now : null);
            if (from.isTerminal() && !to.isTerminal()) ps.setInt(5, 0);
            else ps.setNull(5, java.sql.Types.INTEGER);
            ps.setString(6, id.toString());
            ps.setString(7, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    // ---- attempts --------------------------------------------------------------------------------------------

    public void insertAttempt(Connection c, Rows.Attempt a) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, INSERT_ATTEMPT)) {
            PreparedStatement ps = p.ps();
            bindAttempt(ps, 0, a);
            ps.executeUpdate();
        }
    }

    /** Inserts attempts as one JDBC batch, as {@link #insertOperations}. */
    public void insertAttempts(Connection c, List<Rows.Attempt> attempts) throws SQLException {
        batch(c, INSERT_ATTEMPT, attempts, (ps, a) -> bindAttempt(ps, 0, a));
    }


    public Optional<Rows.Attempt> findAttempt(Connection c, UUID id) throws SQLException {
        return Sql.first(c, "SELECT " + ATTEMPT_COLUMNS + " FROM durable_attempts WHERE id = ?", ps -> ps.setString(1, id.toString()),
                Columns::attempt);
    }

    public Optional<Rows.Attempt> findVisit(Connection c, UUID operationId, int visit) throws SQLException {
        return Sql.first(c, "SELECT " + ATTEMPT_COLUMNS + " FROM durable_attempts WHERE operation_id = ? AND visit = ?", ps -> {
            ps.setString(1, operationId.toString());
            ps.setInt(2, visit);
        }, Columns::attempt);
    }

    /** A claimed attempt and its operation, in one query. */
    public Rows.Claimed loadForRun(Connection c, UUID attemptId) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, LOAD_FOR_RUN)) {
            PreparedStatement ps = p.ps();
            ps.setString(1, attemptId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("attempt " + attemptId + " disappeared after it was claimed");
                return new Rows.Claimed(operation(rs, "o_"), attempt(rs, "a_"));
            }
        }
    }

    /**
     * Whether the operation of the attempt row being changed is RUNNING: a condition on the attempts table's own
     * statements, so that nothing is claimed or recovered behind an ended operation.
     */
    static final String OPERATION_RUNNING = "EXISTS (SELECT 1 FROM durable_operations o "
            + "WHERE o.id = durable_attempts.operation_id AND o.status = 'RUNNING')";

    /**
     * Claims a due, scheduled attempt of the given generation for running: SCHEDULED becomes RUNNING, the try is
     * counted, and the lease starts, if its operation is RUNNING. Exactly one caller wins; for the others this returns
     * false.
     */
    public boolean claim(Connection c, UUID id, int generation, Instant now, Instant leaseUntil) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = 'RUNNING', "
                + "attempt_count = attempt_count + 1, started_at = ?, lease_until = ?, updated_at = ? "
                + "WHERE id = ? AND generation = ? AND status = 'SCHEDULED' AND scheduled_at <= ? AND " + OPERATION_RUNNING)) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            setInstant(ps, 2, leaseUntil);
            setInstant(ps, 3, now);
            ps.setString(4, id.toString());
            ps.setInt(5, generation);
            setInstant(ps, 6, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends the try this runner claimed ({@code attemptCount}) as SUCCEEDED, FAILED, EXPIRED or CANCELLED. */
    public boolean finishAttempt(Connection c, UUID id, int attemptCount, AttemptStatus status, String errorClass,
                                 String reason, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = ?, finished_at = ?, "
                + "lease_until = NULL, last_error_class = COALESCE(?, last_error_class), reason = ?, updated_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, status.name());
            setInstant(ps, 2, now);
            ps.setString(3, errorClass);
            ps.setString(4, reason);
            setInstant(ps, 5, now);
            ps.setString(6, id.toString());
            ps.setInt(7, attemptCount);
            return ps.executeUpdate() == 1;
        }
    }

    /** Puts the try this runner claimed back to SCHEDULED for a retry at {@code at}, under a new generation. */
    public boolean rescheduleAfterFailure(Connection c, UUID id, int attemptCount, String errorClass, Instant at, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = 'SCHEDULED', "
                + "generation = generation + 1, dispatch_pending = 1, scheduled_at = ?, finished_at = ?, lease_until = NULL, "
                + "last_error_class = ?, updated_at = ? WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, at);
            setInstant(ps, 2, now);
            ps.setString(3, errorClass);
            setInstant(ps, 4, now);
            ps.setString(5, id.toString());
            ps.setInt(6, attemptCount);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Schedules an attempt again, due at {@code at} under a new generation, to be dispatched: if it is still in one of
     * {@code fromStatuses} and still at {@code generation}, the state the caller read (a compare-and-set). Used by
     * operator retry and run-now, and for an early delivery.
     */
    public boolean reschedule(Connection c, UUID id, int generation, Collection<AttemptStatus> fromStatuses, Instant at, Instant now) throws SQLException {
        String in = String.join(", ", fromStatuses.stream().map(s -> "?").toList());
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = 'SCHEDULED', "
                + "generation = generation + 1, dispatch_pending = 1, scheduled_at = ?, finished_at = NULL, lease_until = NULL, "
                + "reason = NULL, updated_at = ? WHERE id = ? AND generation = ? AND status IN (" + in + ")")) {
            PreparedStatement ps = p.ps();
            int i = 0;
            setInstant(ps, ++i, at);
            setInstant(ps, ++i, now);
            ps.setString(++i, id.toString());
            ps.setInt(++i, generation);
            for (AttemptStatus s : fromStatuses) ps.setString(++i, s.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends every scheduled or running attempt of an operation (operator expire, fail, cancel). */
    public int endOpenAttempts(Connection c, UUID operationId, AttemptStatus status, String reason, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = ?, reason = ?, finished_at = ?, "
                + "lease_until = NULL, dispatch_pending = 0, updated_at = ? WHERE operation_id = ? AND status IN ('SCHEDULED', 'RUNNING')")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, status.name());
            ps.setString(2, reason);
            setInstant(ps, 3, now);
            setInstant(ps, 4, now);
            ps.setString(5, operationId.toString());
            return ps.executeUpdate();
        }
    }
}

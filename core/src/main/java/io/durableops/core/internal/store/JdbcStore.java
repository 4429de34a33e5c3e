package io.durableops.core.internal.store;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Every SQL statement Durable Ops runs, with bound parameters only. Methods take the connection of the caller's
 * transaction; {@link Tx} decides where transactions begin and end. Timestamps are bound as UTC
 * {@link LocalDateTime}s, so the session time zone of the database never matters.
 */
public final class JdbcStore {
    private final Dialect dialect;

    public JdbcStore(Dialect dialect) {
        this.dialect = dialect;
    }

    /** {@code dispatch_pending} of an attempt written in a caller's transaction: only the relay can dispatch it. */
    public static final int AFTER_CALLER_COMMIT = 2;

    private static final String OPERATION_COLUMNS = "id, definition, definition_version, status, current_step, current_attempt_id, "
            + "globals, results, failure_reason, idempotency_key, parent_id, created_at, updated_at, finished_at, deadline_at, trace_context, "
            + "priority, partition_key, partition_seq, admitted";
    static final String ATTEMPT_COLUMNS = "id, operation_id, step, visit, status, args, generation, dispatch_pending, "
            + "attempt_count, scheduled_at, started_at, finished_at, lease_until, last_error_class, reason, created_at, updated_at, deadline_at, "
            + "globals";
    /** One bound parameter per attempt column, for an INSERT's VALUES or a SELECT of a row. */
    static final String ATTEMPT_PARAMETERS = String.join(", ", Collections.nCopies(ATTEMPT_COLUMNS.split(", ").length, "?"));

    // ---- operations ------------------------------------------------------------------------------------------

    private static final String INSERT_OPERATION = "INSERT INTO durable_operations (" + OPERATION_COLUMNS
            + ") VALUES (" + String.join(", ", Collections.nCopies(OPERATION_COLUMNS.split(", ").length, "?")) + ")";

    public void insertOperation(Connection c, Rows.Operation o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_OPERATION)) {
            bindOperation(ps, o);
            ps.executeUpdate();
        }
    }

    /**
     * Inserts operations as one JDBC batch (with MySQL Connector/J's {@code rewriteBatchedStatements}, multi-row
     * {@code INSERT}s). A failure of any row fails the call; the caller's transaction then rolls back all of them.
     */
    public void insertOperations(Connection c, List<Rows.Operation> operations) throws SQLException {
        batch(c, INSERT_OPERATION, operations, JdbcStore::bindOperation);
    }

    /** Binds one row's parameters of a batched statement. */
    @FunctionalInterface
    interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** Runs {@code sql} once per row as one JDBC batch, each row's parameters bound by {@code binder}. */
    static <T> void batch(Connection c, String sql, Collection<T> rows, RowBinder<T> binder) throws SQLException {
        batchCounts(c, sql, rows, binder);
    }

    /** As {@link #batch}; returns each row's update count. */
    static <T> int[] batchCounts(Connection c, String sql, Collection<T> rows, RowBinder<T> binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    private static void bindOperation(PreparedStatement ps, Rows.Operation o) throws SQLException {
        int i = 0;
        ps.setString(++i, o.id().toString());
        ps.setString(++i, o.definition());
        ps.setInt(++i, o.definitionVersion());
        ps.setString(++i, o.status().name());
        ps.setString(++i, o.currentStep());
        setUuid(ps, ++i, o.currentAttemptId());
        setBytes(ps, ++i, o.globals());
        setBytes(ps, ++i, o.results());
        ps.setString(++i, o.failureReason());
        ps.setString(++i, o.idempotencyKey());
        setUuid(ps, ++i, o.parentId());
        setInstant(ps, ++i, o.createdAt());
        setInstant(ps, ++i, o.updatedAt());
        setInstant(ps, ++i, o.finishedAt());
        setInstant(ps, ++i, o.deadlineAt());
        ps.setString(++i, o.traceContext());
        ps.setInt(++i, o.queueing().priority());
        ps.setString(++i, o.queueing().partitionKey());
        ps.setObject(++i, o.queueing().partitionSeq(), java.sql.Types.BIGINT);
        ps.setInt(++i, o.queueing().admitted() ? 1 : 0);
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
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATION_COLUMNS + " FROM durable_operations WHERE id = ?" + lock)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(operation(rs)) : Optional.empty();
            }
        }
    }

    /** The operations of {@code ids} that exist. */
    public List<Rows.Operation> findOperations(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) return List.of();
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATION_COLUMNS + " FROM durable_operations WHERE id IN (" + in + ")")) {
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 1, ids.get(i).toString());
            List<Rows.Operation> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(operation(rs));
            }
            return found;
        }
    }

    /**
     * The operation of {@code definition} holding {@code key}. A locking read, so that it sees the latest committed
     * row even inside a transaction that began before that row was committed.
     */
    public Optional<Rows.Operation> findByIdempotencyKey(Connection c, String definition, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATION_COLUMNS
                + " FROM durable_operations WHERE definition = ? AND idempotency_key = ? FOR UPDATE")) {
            ps.setString(1, definition);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(operation(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Moves a running operation on from the attempt it is at: new status, pointer, globals and results. Returns
     * false (and changes nothing) if the operation is no longer running or no longer at {@code fromAttempt}.
     */
    public boolean advanceOperation(Connection c, UUID id, UUID fromAttempt, OperationStatus status, String currentStep,
                                    UUID currentAttempt, byte[] globals, byte[] results, String failureReason,
                                    Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_operations SET status = ?, current_step = ?, "
                + "current_attempt_id = ?, globals = ?, results = ?, failure_reason = ?, updated_at = ?, finished_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND current_attempt_id = ?")) {
            int i = bindOperationChange(ps, 0, status, currentStep, currentAttempt, globals, results, failureReason, now);
            ps.setString(++i, id.toString());
            ps.setString(++i, fromAttempt.toString());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records a step's completion: the operation moves on from {@code pointer} ({@link #advanceOperation}) and the try
     * this runner claimed becomes SUCCEEDED ({@link #finishAttempt}), both or neither. {@code pointer} is the attempt the
     * operation row points at: the attempt itself, or, after steps recorded alone ({@link #recordStepAlone}), the one
     * their turn began at. On MySQL/MariaDB in one statement that updates both rows and settles the turn's attempts
     * ({@link #settleStepsRecordedAlone}) with them; elsewhere in two, with no turn to settle.
     */
    public boolean completeStep(Connection c, UUID operationId, UUID pointer, UUID attemptId, int attemptCount, OperationStatus status,
                                String currentStep, UUID currentAttempt, byte[] globals, byte[] results, String failureReason,
                                Instant now) throws SQLException {
        return dialect.completeStep(this, c, operationId, pointer, attemptId, attemptCount, status, currentStep, currentAttempt, globals,
                results, failureReason, now);
    }

    /** Binds the SET of an operation's move (status to finished_at) after parameter {@code i}; returns the last index bound. */
    static int bindOperationChange(PreparedStatement ps, int i, OperationStatus status, String currentStep, UUID currentAttempt,
                                           byte[] globals, byte[] results, String failureReason, Instant now) throws SQLException {
        ps.setString(++i, status.name());
        ps.setString(++i, currentStep);
        setUuid(ps, ++i, currentAttempt);
        setBytes(ps, ++i, globals);
        setBytes(ps, ++i, results);
        ps.setString(++i, failureReason);
        setInstant(ps, ++i, now);
        setInstant(ps, ++i, status.isTerminal() ? now : null);
        return i;
    }

    /**
     * A fast-path step recorded in one statement, committed on its own (MySQL/MariaDB, auto-commit): the next attempt is
     * inserted already claimed, provided the operation is still RUNNING, its row still points at {@code pointer}, and
     * the try that finished ({@code finished}, try {@code finishedTry}) is still RUNNING as this runner's (both rows
     * locked while this runs). That committed row is what records the step as SUCCEEDED: an attempt that is RUNNING
     * while its operation has a next visit has succeeded, and its row says so once it is settled
     * ({@link #settleStepsRecordedAlone}). The operation row is not touched either: its pointer stays at the attempt the
     * worker's turn began at until a completion that is not recorded alone settles the turn and moves it on, or someone
     * who takes the operation over moves it ({@link #movePointerToLatest}), which ends the turn. Returns false, with
     * nothing written, if the operation or the try is no longer this runner's (lease recovery, a timeout recorded, an
     * operator's end).
     */
    public boolean recordStepAlone(Connection c, UUID pointer, UUID finished, int finishedTry, Rows.Attempt next) throws SQLException {
        return dialect.recordStepAlone(c, pointer, finished, finishedTry, next);
    }

    /** Whether this database records a fast-path step in one statement ({@link #recordStepAlone}): the dialect says. */
    public boolean recordsStepsAlone() {
        return dialect.recordsStepsAlone();
    }

    /**
     * Writes down what steps recorded alone ({@link #recordStepAlone}) left to their successors' rows: each attempt of
     * the operation from {@code turnStart} (the attempt the operation row pointed at when the turn began) on that is
     * RUNNING while its next visit exists becomes SUCCEEDED, finished when that visit was created, as a completion
     * recorded in a transaction would have left it. It changes nothing else, so it is safe at any time, in any
     * transaction: the completion that ends a turn does it ({@link #completeStep}), as do whoever takes an operation
     * over or ends it ({@link #movePointerToLatest}) and the relay before it recovers a lease. why from
     * {@code turnStart}: a turn's attempts are the only ones left unsettled, and an operation that loops may have
     * thousands of visits before them. Returns the attempts settled.
     */
    public int settleStepsRecordedAlone(Connection c, UUID operationId, UUID turnStart) throws SQLException {
        return turnStart == null ? 0 : dialect.settleStepsRecordedAlone(c, operationId, turnStart);
    }

    /**
     * The attempts of one operation, in visit order, as they stand once settled ({@link #settleStepsRecordedAlone}):
     * what readers show while a turn of steps recorded alone is still running.
     */
    static List<Rows.Attempt> settled(List<Rows.Attempt> byVisit) {
        List<Rows.Attempt> result = new ArrayList<>(byVisit);
        for (int i = 0; i + 1 < result.size(); i++) {
            Rows.Attempt a = result.get(i);
            Rows.Attempt next = result.get(i + 1);
            if (a.status() == AttemptStatus.RUNNING && next.visit() == a.visit() + 1) {
                result.set(i, a.settledBy(next));
            }
        }
        return result;
    }

    /**
     * Brings a running operation's row up to its latest attempt, which is where it is, if steps recorded alone left it
     * behind ({@link #recordStepAlone}): the pointer, and the globals that attempt carries, if any; then their attempts
     * settled. Whoever takes over or ends an operation calls this first: the turn that recorded those steps then finds
     * the row moved, and stops.
     */
    public void movePointerToLatest(Connection c, UUID operationId, Instant now) throws SQLException {
        UUID turnStart;
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.step, a.globals, o.current_attempt_id FROM durable_attempts a "
                + "JOIN durable_operations o ON o.id = a.operation_id WHERE a.operation_id = ? ORDER BY a.visit DESC")) {
            ps.setString(1, operationId.toString());
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                turnStart = uuid(rs, 4);
                try (PreparedStatement update = c.prepareStatement("UPDATE durable_operations SET current_attempt_id = ?, "
                        + "current_step = ?, globals = COALESCE(?, globals), updated_at = ? "
                        + "WHERE id = ? AND status = 'RUNNING' AND current_attempt_id <> ?")) {
                    update.setString(1, rs.getString(1));
                    update.setString(2, rs.getString(2));
                    setBytes(update, 3, rs.getBytes(3));
                    setInstant(update, 4, now);
                    update.setString(5, operationId.toString());
                    update.setString(6, rs.getString(1));
                    update.executeUpdate();
                }
            }
        }
        // why after: the operation row first, then attempts, the order of the lock of every other writer of both
        settleStepsRecordedAlone(c, operationId, turnStart);
    }

    /** Ends a running operation at its current attempt (failure, expiry, cancellation); globals stay as they are. */
    public boolean endOperation(Connection c, UUID id, UUID atAttempt, OperationStatus status, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_operations SET status = ?, failure_reason = ?, "
                + "updated_at = ?, finished_at = ? WHERE id = ? AND status = 'RUNNING' AND current_attempt_id = ?")) {
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
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_operations SET status = ?, failure_reason = ?, "
                + "updated_at = ?, finished_at = ?, admitted = COALESCE(?, admitted) WHERE id = ? AND status = ?")) {
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

    private static final String INSERT_ATTEMPT = "INSERT INTO durable_attempts (" + ATTEMPT_COLUMNS + ") VALUES (" + ATTEMPT_PARAMETERS + ")";

    public void insertAttempt(Connection c, Rows.Attempt a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ATTEMPT)) {
            bindAttempt(ps, 0, a);
            ps.executeUpdate();
        }
    }

    /** Inserts attempts as one JDBC batch, as {@link #insertOperations}. */
    public void insertAttempts(Connection c, List<Rows.Attempt> attempts) throws SQLException {
        batch(c, INSERT_ATTEMPT, attempts, (ps, a) -> bindAttempt(ps, 0, a));
    }

    /** Binds an attempt's {@link #ATTEMPT_COLUMNS} after parameter {@code i}; returns the last index bound. */
    static int bindAttempt(PreparedStatement ps, int i, Rows.Attempt a) throws SQLException {
        ps.setString(++i, a.id().toString());
        ps.setString(++i, a.operationId().toString());
        ps.setString(++i, a.step());
        ps.setInt(++i, a.visit());
        ps.setString(++i, a.status().name());
        setBytes(ps, ++i, a.args());
        ps.setInt(++i, a.generation());
        ps.setInt(++i, a.dispatchPending());
        ps.setInt(++i, a.attemptCount());
        setInstant(ps, ++i, a.scheduledAt());
        setInstant(ps, ++i, a.startedAt());
        setInstant(ps, ++i, a.finishedAt());
        setInstant(ps, ++i, a.leaseUntil());
        ps.setString(++i, a.lastErrorClass());
        ps.setString(++i, a.reason());
        setInstant(ps, ++i, a.createdAt());
        setInstant(ps, ++i, a.updatedAt());
        setInstant(ps, ++i, a.deadlineAt());
        setBytes(ps, ++i, a.globals());
        return i;
    }

    public Optional<Rows.Attempt> findAttempt(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ATTEMPT_COLUMNS + " FROM durable_attempts WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(attempt(rs)) : Optional.empty();
            }
        }
    }

    public Optional<Rows.Attempt> findVisit(Connection c, UUID operationId, int visit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ATTEMPT_COLUMNS
                + " FROM durable_attempts WHERE operation_id = ? AND visit = ?")) {
            ps.setString(1, operationId.toString());
            ps.setInt(2, visit);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(attempt(rs)) : Optional.empty();
            }
        }
    }

    private static final String LOAD_FOR_RUN = "SELECT " + prefixed("o.", OPERATION_COLUMNS) + ", " + prefixed("a.", ATTEMPT_COLUMNS)
            + " FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id WHERE a.id = ?";

    private static String prefixed(String alias, String columns) {
        return eachColumn(columns, column -> alias + column);
    }

    /** {@code columns} (comma separated) with each column written as {@code as} says, comma separated again. */
    static String eachColumn(String columns, UnaryOperator<String> as) {
        return Arrays.stream(columns.split(", ")).map(as).collect(Collectors.joining(", "));
    }

    /** A claimed attempt and its operation, in one query. */
    public Rows.Claimed loadForRun(Connection c, UUID attemptId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOAD_FOR_RUN)) {
            ps.setString(1, attemptId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("attempt " + attemptId + " disappeared after it was claimed");
                return new Rows.Claimed(operation(rs, 0), attempt(rs, OPERATION_COLUMN_COUNT));
            }
        }
    }

    /** The attempts of an operation in visit order, those of a turn not settled yet read as settled ({@link #settled}). */
    public List<Rows.Attempt> attemptsOf(Connection c, UUID operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ATTEMPT_COLUMNS
                + " FROM durable_attempts WHERE operation_id = ? ORDER BY visit")) {
            ps.setString(1, operationId.toString());
            List<Rows.Attempt> attempts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) attempts.add(attempt(rs));
            }
            return settled(attempts);
        }
    }

    /**
     * Whether the operation of the attempt row being changed is RUNNING: a condition on the attempts table's own
     * statements, so that nothing is claimed or recovered behind an ended operation.
     */
    private static final String OPERATION_RUNNING = "EXISTS (SELECT 1 FROM durable_operations o "
            + "WHERE o.id = durable_attempts.operation_id AND o.status = 'RUNNING')";

    /**
     * Claims a due, scheduled attempt of the given generation for running: SCHEDULED becomes RUNNING, the try is
     * counted, and the lease starts, if its operation is RUNNING. Exactly one caller wins; for the others this returns
     * false.
     */
    public boolean claim(Connection c, UUID id, int generation, Instant now, Instant leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = 'RUNNING', "
                + "attempt_count = attempt_count + 1, started_at = ?, lease_until = ?, updated_at = ? "
                + "WHERE id = ? AND generation = ? AND status = 'SCHEDULED' AND scheduled_at <= ? AND " + OPERATION_RUNNING)) {
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
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = ?, finished_at = ?, "
                + "lease_until = NULL, last_error_class = COALESCE(?, last_error_class), reason = ?, updated_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?")) {
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
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = 'SCHEDULED', "
                + "generation = generation + 1, dispatch_pending = 1, scheduled_at = ?, finished_at = ?, lease_until = NULL, "
                + "last_error_class = ?, updated_at = ? WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?")) {
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
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = 'SCHEDULED', "
                + "generation = generation + 1, dispatch_pending = 1, scheduled_at = ?, finished_at = NULL, lease_until = NULL, "
                + "reason = NULL, updated_at = ? WHERE id = ? AND generation = ? AND status IN (" + in + ")")) {
            int i = 0;
            setInstant(ps, ++i, at);
            setInstant(ps, ++i, now);
            ps.setString(++i, id.toString());
            ps.setInt(++i, generation);
            for (AttemptStatus s : fromStatuses) ps.setString(++i, s.name());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Schedules a running attempt whose lease ran out again, now, under a new generation; only while its operation is
     * RUNNING (nothing runs behind an ended operation).
     */
    public boolean recoverExpiredLease(Connection c, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = 'SCHEDULED', "
                + "generation = generation + 1, dispatch_pending = 1, scheduled_at = ?, lease_until = NULL, updated_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND lease_until < ? AND " + OPERATION_RUNNING)) {
            setInstant(ps, 1, now);
            setInstant(ps, 2, now);
            ps.setString(3, id.toString());
            setInstant(ps, 4, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends every scheduled or running attempt of an operation (operator expire, fail, cancel). */
    public int endOpenAttempts(Connection c, UUID operationId, AttemptStatus status, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = ?, reason = ?, finished_at = ?, "
                + "lease_until = NULL, dispatch_pending = 0, updated_at = ? WHERE operation_id = ? AND status IN ('SCHEDULED', 'RUNNING')")) {
            ps.setString(1, status.name());
            ps.setString(2, reason);
            setInstant(ps, 3, now);
            setInstant(ps, 4, now);
            ps.setString(5, operationId.toString());
            return ps.executeUpdate();
        }
    }

    /**
     * Extends the lease of the tries this node is running: attempt id and the try it claimed. A try another node took
     * over (after this one stalled past its lease) is not extended, so that node's own lease decides.
     */
    public void renewLeases(Connection c, java.util.Map<UUID, Integer> tries, Instant leaseUntil) throws SQLException {
        if (tries.isEmpty()) return;
        batch(c, "UPDATE durable_attempts SET lease_until = ? WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?",
                tries.entrySet(), (ps, attempt) -> {
                    setInstant(ps, 1, leaseUntil);
                    ps.setString(2, attempt.getKey().toString());
                    ps.setInt(3, attempt.getValue());
                });
    }

    public void markDispatched(Connection c, UUID id, int generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE durable_attempts SET dispatch_pending = 0 WHERE id = ? AND generation = ? AND dispatch_pending <> 0")) {
            ps.setString(1, id.toString());
            ps.setInt(2, generation);
            ps.executeUpdate();
        }
    }

    /**
     * Scheduled attempts whose dispatch was not confirmed: those left to their own dispatch ({@code dispatch_pending = 1})
     * once they were last changed before {@code changedBefore}, and those enqueued in a caller's transaction
     * ({@code dispatch_pending = 2}, nobody else dispatches them) at once.
     */
    public List<Rows.Pending> undispatched(Connection c, Instant changedBefore, int limit) throws SQLException {
        return pending(c, "a.status = 'SCHEDULED' AND o.status = 'RUNNING' AND (a.dispatch_pending = 1 AND a.updated_at < ? OR a.dispatch_pending = "
                + AFTER_CALLER_COMMIT + ")", ps -> setInstant(ps, 1, changedBefore), limit);
    }

    /**
     * Due attempts that nobody claimed for a whole lease after they were last changed and dispatched: their job is taken
     * to be lost (a job system's worker stopped between taking it and running it), not merely waiting in a queue.
     */
    public List<Rows.Pending> dispatchedLongAgo(Connection c, Instant before, int limit) throws SQLException {
        return pending(c, "a.status = 'SCHEDULED' AND o.status = 'RUNNING' AND a.dispatch_pending = 1 AND a.updated_at < ? "
                + "AND a.scheduled_at < ?", ps -> {
                    setInstant(ps, 1, before);
                    setInstant(ps, 2, before);
                }, limit);
    }

    /** A new generation for a scheduled attempt still at {@code generation}: a new job id for its next dispatch. */
    public boolean nextGeneration(Connection c, UUID id, int generation, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET generation = generation + 1, updated_at = ? "
                + "WHERE id = ? AND generation = ? AND status = 'SCHEDULED'")) {
            setInstant(ps, 1, now);
            ps.setString(2, id.toString());
            ps.setInt(3, generation);
            return ps.executeUpdate() == 1;
        }
    }

    /** The attempt if it was enqueued in a caller's transaction that has committed and it is not dispatched yet. */
    public List<Rows.Pending> committedByCaller(Connection c, UUID attemptId) throws SQLException {
        return pending(c, "a.id = ? AND a.status = 'SCHEDULED' AND o.status = 'RUNNING' AND a.dispatch_pending = " + AFTER_CALLER_COMMIT,
                ps -> ps.setString(1, attemptId.toString()), 1);
    }

    /** Running attempts whose lease ran out: their runner died or hangs. */
    public List<Rows.Pending> expiredLeases(Connection c, Instant now, int limit) throws SQLException {
        return pending(c, "a.status = 'RUNNING' AND a.lease_until < ? AND o.status = 'RUNNING'", ps -> setInstant(ps, 1, now), limit);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Rows.Pending> pending(Connection c, String where, Binder binder, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.generation, a.operation_id, o.definition, a.step, "
                + "a.attempt_count, a.scheduled_at FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id "
                + "WHERE " + where + " ORDER BY a.updated_at")) {
            binder.bind(ps);
            ps.setMaxRows(limit);
            List<Rows.Pending> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Rows.Pending(uuid(rs, 1), rs.getInt(2), uuid(rs, 3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), instant(rs, 7)));
                }
            }
            return result;
        }
    }

    /** How many attempts are due and not started: SCHEDULED, at or before {@code now}, of running operations. */
    public long countDue(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id "
                + "WHERE a.status = 'SCHEDULED' AND a.scheduled_at <= ? AND o.status = 'RUNNING'")) {
            setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many operations are in {@code status}. */
    public long countStatus(Connection c, OperationStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM durable_operations WHERE status = ?")) {
            ps.setString(1, status.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    public void insertError(Connection c, Rows.Error e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO durable_attempt_errors (attempt_id, try_number, "
                + "operation_id, error_class, message, stack_trace, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.attemptId().toString());
            ps.setInt(2, e.tryNumber());
            ps.setString(3, e.operationId().toString());
            ps.setString(4, e.errorClass());
            setBytes(ps, 5, e.message());
            setBytes(ps, 6, e.stackTrace());
            setInstant(ps, 7, e.occurredAt());
            ps.executeUpdate();
        }
    }

    public List<Rows.Error> errorsOf(Connection c, UUID operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt_id, try_number, operation_id, error_class, message, "
                + "stack_trace, occurred_at FROM durable_attempt_errors WHERE operation_id = ? ORDER BY occurred_at, try_number")) {
            ps.setString(1, operationId.toString());
            List<Rows.Error> errors = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.add(new Rows.Error(uuid(rs, 1), rs.getInt(2), uuid(rs, 3), rs.getString(4), rs.getBytes(5),
                            rs.getBytes(6), instant(rs, 7)));
                }
            }
            return errors;
        }
    }

    // ---- mapping ---------------------------------------------------------------------------------------------

    private static final int OPERATION_COLUMN_COUNT = OPERATION_COLUMNS.split(", ").length;

    private static Rows.Operation operation(ResultSet rs) throws SQLException {
        return operation(rs, 0);
    }

    /** Maps the operation columns that start after {@code o} other columns. */
    private static Rows.Operation operation(ResultSet rs, int o) throws SQLException {
        return new Rows.Operation(uuid(rs, o + 1), rs.getString(o + 2), rs.getInt(o + 3), OperationStatus.valueOf(rs.getString(o + 4)),
                rs.getString(o + 5), uuid(rs, o + 6), rs.getBytes(o + 7), rs.getBytes(o + 8), rs.getString(o + 9), rs.getString(o + 10),
                uuid(rs, o + 11), instant(rs, o + 12), instant(rs, o + 13), instant(rs, o + 14), instant(rs, o + 15), rs.getString(o + 16),
                new Rows.Queueing(rs.getInt(o + 17), rs.getString(o + 18), rs.getObject(o + 19) == null ? null : rs.getLong(o + 19), rs.getInt(o + 20) == 1));
    }

    private static Rows.Attempt attempt(ResultSet rs) throws SQLException {
        return attempt(rs, 0);
    }

    private static Rows.Attempt attempt(ResultSet rs, int o) throws SQLException {
        return new Rows.Attempt(uuid(rs, o + 1), uuid(rs, o + 2), rs.getString(o + 3), rs.getInt(o + 4), AttemptStatus.valueOf(rs.getString(o + 5)),
                rs.getBytes(o + 6), rs.getInt(o + 7), rs.getInt(o + 8), rs.getInt(o + 9), instant(rs, o + 10), instant(rs, o + 11),
                instant(rs, o + 12), instant(rs, o + 13), rs.getString(o + 14), rs.getString(o + 15), instant(rs, o + 16), instant(rs, o + 17),
                instant(rs, o + 18), rs.getBytes(o + 19));
    }

    /** {@link #uuid(ResultSet, int)} of the column named {@code column}. */
    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return uuid(rs, rs.findColumn(column));
    }

    static UUID uuid(ResultSet rs, int column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : UUID.fromString(value);
    }

    /** A UTC timestamp column as an instant, or null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** {@link #instant(ResultSet, int)} of the column named {@code column}. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    /**
     * Binds a UTC timestamp with its microseconds, as text on H2 and MySQL/MariaDB, as a {@code LocalDateTime} on
     * PostgreSQL. why text: MySQL Connector/J reads MariaDB's version as "5.5.5-10.x", decides the server has no
     * fractional seconds and truncates a bound {@code LocalDateTime} to whole seconds, which let a delayed attempt be
     * claimed up to a second early; text keeps the microseconds, and the column type makes the comparison a timestamp
     * comparison. PostgreSQL's driver keeps them in a {@code LocalDateTime}, and types a string as text.
     */
    public static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.TIMESTAMP);
        else if (bindsTimestampsAsObjects(ps)) ps.setObject(index, LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC));
        else ps.setString(index, timestamp(value));
    }

    /** The connection this thread bound a timestamp on last, and whether its database takes them as objects. */
    private static final ThreadLocal<Object[]> LAST_CONNECTION = ThreadLocal.withInitial(() -> new Object[]{null, Boolean.FALSE});

    /**
     * Whether timestamps are bound as {@link LocalDateTime} objects on this statement's database: on PostgreSQL, whose
     * driver types a bound string as text, which a timestamp column does not take. Asked once per connection and thread.
     */
    private static boolean bindsTimestampsAsObjects(PreparedStatement ps) throws SQLException {
        Connection c = ps.getConnection();
        Object[] last = LAST_CONNECTION.get();
        if (last[0] instanceof java.lang.ref.WeakReference<?> ref && ref.get() == c) return (Boolean) last[1];
        boolean objects = String.valueOf(c.getMetaData().getDatabaseProductName()).toLowerCase(java.util.Locale.ROOT).contains("postgresql");
        last[0] = new java.lang.ref.WeakReference<>(c);
        last[1] = objects;
        return objects;
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC, written by hand: a DateTimeFormatter here was 9% of a fast-path
     * step's CPU in the benchmark's profile.
     */
    static String timestamp(Instant value) {
        // why not ofInstant: it asks the offset for its rules, a new ZoneRules on every call (3% of a worker's CPU)
        LocalDateTime t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
        char[] c = new char[26];
        int year = t.getYear();
        if (year < 0 || year > 9999) throw new IllegalArgumentException("a timestamp must be in the years 0 to 9999, was " + value);
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    static void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException {
        if (value == null) ps.setNull(index, Types.CHAR);
        else ps.setString(index, value.toString());
    }

    static void setBytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARBINARY);
        else ps.setBytes(index, value);
    }
}

package io.durableops.core.internal.store;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.eachColumn;
import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.setUuid;
import static io.durableops.core.internal.store.SqlValues.uuid;

/**
 * The columns of the operation and attempt rows, and the one place each row is bound to a statement and read from a
 * result: every store writes and reads those rows through here.
 */
final class Columns {
    private Columns() {
    }

    static final String OPERATION_COLUMNS = "id, definition, definition_version, status, current_step, current_attempt_id, "
            + "globals, results, failure_reason, idempotency_key, parent_id, created_at, updated_at, finished_at, deadline_at, trace_context, "
            + "priority, partition_key, partition_seq, admitted";
    static final String ATTEMPT_COLUMNS = "id, operation_id, step, visit, status, args, generation, dispatch_pending, "
            + "attempt_count, scheduled_at, started_at, finished_at, lease_until, last_error_class, reason, created_at, updated_at, deadline_at, "
            + "globals";
    /** One bound parameter per attempt column, for an INSERT's VALUES or a SELECT of a row. */
    static final String ATTEMPT_PARAMETERS = String.join(", ", Collections.nCopies(ATTEMPT_COLUMNS.split(", ").length, "?"));


    static final String INSERT_OPERATION = "INSERT INTO durable_operations (" + OPERATION_COLUMNS
            + ") VALUES (" + String.join(", ", Collections.nCopies(OPERATION_COLUMNS.split(", ").length, "?")) + ")";


    static void bindOperation(PreparedStatement ps, Rows.Operation o) throws SQLException {
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

    static final String INSERT_ATTEMPT = "INSERT INTO durable_attempts (" + ATTEMPT_COLUMNS + ") VALUES (" + ATTEMPT_PARAMETERS + ")";


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

    /** The attempts due for dispatch ({@link Rows.Pending}) that the WHERE clause appended to this selects, read by {@link #pending}. */
    static final String SELECT_PENDING = "SELECT a.id, a.generation, a.operation_id, o.definition, a.step, a.attempt_count, "
            + "a.scheduled_at FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id WHERE ";

    static Rows.Pending pending(ResultSet rs) throws SQLException {
        return new Rows.Pending(uuid(rs, "id"), rs.getInt("generation"), uuid(rs, "operation_id"), rs.getString("definition"),
                rs.getString("step"), rs.getInt("attempt_count"), instant(rs, "scheduled_at"));
    }

    /** An attempt and its operation in one row: the operation's columns named {@code o_<column>}, the attempt's {@code a_<column>}. */
    static final String LOAD_FOR_RUN = "SELECT " + aliased("o", OPERATION_COLUMNS) + ", " + aliased("a", ATTEMPT_COLUMNS)
            + " FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id WHERE a.id = ?";

    private static String aliased(String alias, String columns) {
        return eachColumn(columns, column -> alias + "." + column + " AS " + alias + "_" + column);
    }

    static Rows.Operation operation(ResultSet rs) throws SQLException {
        return operation(rs, "");
    }

    /** Reads the operation columns, each named {@code prefix} and its column name. */
    static Rows.Operation operation(ResultSet rs, String prefix) throws SQLException {
        Object partitionSeq = rs.getObject(prefix + "partition_seq");
        return new Rows.Operation(uuid(rs, prefix + "id"), rs.getString(prefix + "definition"), rs.getInt(prefix + "definition_version"),
                OperationStatus.valueOf(rs.getString(prefix + "status")), rs.getString(prefix + "current_step"),
                uuid(rs, prefix + "current_attempt_id"), rs.getBytes(prefix + "globals"), rs.getBytes(prefix + "results"),
                rs.getString(prefix + "failure_reason"), rs.getString(prefix + "idempotency_key"), uuid(rs, prefix + "parent_id"),
                instant(rs, prefix + "created_at"), instant(rs, prefix + "updated_at"), instant(rs, prefix + "finished_at"),
                instant(rs, prefix + "deadline_at"), rs.getString(prefix + "trace_context"),
                new Rows.Queueing(rs.getInt(prefix + "priority"), rs.getString(prefix + "partition_key"),
                        partitionSeq == null ? null : ((Number) partitionSeq).longValue(), rs.getInt(prefix + "admitted") == 1));
    }

    static Rows.Attempt attempt(ResultSet rs) throws SQLException {
        return attempt(rs, "");
    }

    /** Reads the attempt columns, each named {@code prefix} and its column name. */
    static Rows.Attempt attempt(ResultSet rs, String prefix) throws SQLException {
        return new Rows.Attempt(uuid(rs, prefix + "id"), uuid(rs, prefix + "operation_id"), rs.getString(prefix + "step"),
                rs.getInt(prefix + "visit"), AttemptStatus.valueOf(rs.getString(prefix + "status")), rs.getBytes(prefix + "args"),
                rs.getInt(prefix + "generation"), rs.getInt(prefix + "dispatch_pending"), rs.getInt(prefix + "attempt_count"),
                instant(rs, prefix + "scheduled_at"), instant(rs, prefix + "started_at"), instant(rs, prefix + "finished_at"),
                instant(rs, prefix + "lease_until"), rs.getString(prefix + "last_error_class"), rs.getString(prefix + "reason"),
                instant(rs, prefix + "created_at"), instant(rs, prefix + "updated_at"), instant(rs, prefix + "deadline_at"),
                rs.getBytes(prefix + "globals"));
    }
}

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

    static final String LOAD_FOR_RUN = "SELECT " + prefixed("o.", OPERATION_COLUMNS) + ", " + prefixed("a.", ATTEMPT_COLUMNS)
            + " FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id WHERE a.id = ?";

    private static String prefixed(String alias, String columns) {
        return eachColumn(columns, column -> alias + column);
    }



    static final int OPERATION_COLUMN_COUNT = OPERATION_COLUMNS.split(", ").length;

    static Rows.Operation operation(ResultSet rs) throws SQLException {
        return operation(rs, 0);
    }

    /** Maps the operation columns that start after {@code o} other columns. */
    static Rows.Operation operation(ResultSet rs, int o) throws SQLException {
        return new Rows.Operation(uuid(rs, o + 1), rs.getString(o + 2), rs.getInt(o + 3), OperationStatus.valueOf(rs.getString(o + 4)),
                rs.getString(o + 5), uuid(rs, o + 6), rs.getBytes(o + 7), rs.getBytes(o + 8), rs.getString(o + 9), rs.getString(o + 10),
                uuid(rs, o + 11), instant(rs, o + 12), instant(rs, o + 13), instant(rs, o + 14), instant(rs, o + 15), rs.getString(o + 16),
                new Rows.Queueing(rs.getInt(o + 17), rs.getString(o + 18), rs.getObject(o + 19) == null ? null : rs.getLong(o + 19), rs.getInt(o + 20) == 1));
    }

    static Rows.Attempt attempt(ResultSet rs) throws SQLException {
        return attempt(rs, 0);
    }

    static Rows.Attempt attempt(ResultSet rs, int o) throws SQLException {
        return new Rows.Attempt(uuid(rs, o + 1), uuid(rs, o + 2), rs.getString(o + 3), rs.getInt(o + 4), AttemptStatus.valueOf(rs.getString(o + 5)),
                rs.getBytes(o + 6), rs.getInt(o + 7), rs.getInt(o + 8), rs.getInt(o + 9), instant(rs, o + 10), instant(rs, o + 11),
                instant(rs, o + 12), instant(rs, o + 13), rs.getString(o + 14), rs.getString(o + 15), instant(rs, o + 16), instant(rs, o + 17),
                instant(rs, o + 18), rs.getBytes(o + 19));
    }
}

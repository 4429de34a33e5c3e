package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.uuid;

/** The SQL of {@code durable_attempt_errors}: one row per failed try. */
public final class ErrorStore {
    private ErrorStore() {
    }

    /** Keeps one failed try: its exception class, and its message and stack trace encrypted. */
    public static void insertError(Connection c, Rows.Error e) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "INSERT INTO durable_attempt_errors (attempt_id, try_number, "
                + "operation_id, error_class, message, stack_trace, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            PreparedStatement ps = p.ps();
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

    /** The failed tries of an operation, oldest first. */
    public static List<Rows.Error> errorsOf(Connection c, UUID operationId) throws SQLException {
        return Sql.list(c, "SELECT attempt_id, try_number, operation_id, error_class, message, stack_trace, occurred_at "
                + "FROM durable_attempt_errors WHERE operation_id = ? ORDER BY occurred_at, try_number", 0,
                ps -> ps.setString(1, operationId.toString()),
                rs -> new Rows.Error(uuid(rs, "attempt_id"), rs.getInt("try_number"), uuid(rs, "operation_id"),
                        rs.getString("error_class"), rs.getBytes("message"), rs.getBytes("stack_trace"), instant(rs, "occurred_at")));
    }
}

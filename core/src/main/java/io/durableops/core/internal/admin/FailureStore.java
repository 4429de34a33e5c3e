package io.durableops.core.internal.admin;

import io.durableops.core.OperationId;
import io.durableops.core.admin.FailureGroup;

import io.durableops.core.internal.store.Sql;
import io.durableops.core.internal.store.SqlValues;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the list's errors: failed operations grouped by definition, step and last error class, and the last error
 * of each operation of a page. Bound parameters only; the error class is read from the current attempt, in clear.
 */
final class FailureStore {
    /** One operation's last error as stored: its message still sealed (null when not asked for). */
    record Row(OperationId operation, String step, int attempt, String errorClass, byte[] message, Instant occurredAt) {
    }

    private FailureStore() {
    }

    /**
     * The groups among the failed operations {@code where} matches (it holds the FAILED status), largest first; over
     * the {@code newest} of them by creation when {@code newest} is above 0 (a LIMIT subquery read from the (status,
     * created_at, id) index), over all of them otherwise.
     */
    static List<FailureGroup> groups(Connection c, Where where, int limit, int newest) throws SQLException {
        String failed = newest > 0
                ? "(SELECT o.definition, o.current_step, o.current_attempt_id FROM durable_operations o" + where.sql()
                        + " ORDER BY o.created_at DESC, o.id DESC LIMIT ?) o"
                : "durable_operations o";
        return Sql.list(c, "SELECT o.definition, o.current_step, a.last_error_class, COUNT(*) AS n "
                + "FROM " + failed + " LEFT JOIN durable_attempts a ON a.id = o.current_attempt_id" + (newest > 0 ? "" : where.sql())
                + " GROUP BY o.definition, o.current_step, a.last_error_class"
                + " ORDER BY n DESC, o.definition, o.current_step, a.last_error_class LIMIT ?", 0, ps -> {
                    int next = where.bind(ps, 1);
                    if (newest > 0) ps.setInt(next++, newest);
                    ps.setInt(next, limit);
                }, rs -> new FailureGroup(rs.getString("definition"), rs.getString("current_step"),
                        Optional.ofNullable(rs.getString("last_error_class")), rs.getLong("n")));
    }

    /** The latest error of each operation's current attempt; an operation without one is absent. */
    static Map<OperationId, Row> lastErrors(Connection c, Collection<OperationId> ids, boolean withMessages) throws SQLException {
        Map<OperationId, Row> last = new LinkedHashMap<>();
        if (ids.isEmpty()) return last;
        String marks = String.join(", ", ids.stream().map(x -> "?").toList());
        List<Row> rows = Sql.list(c, "SELECT o.id, a.step, e.try_number, e.error_class, "
                + (withMessages ? "e.message" : "NULL AS message") + ", e.occurred_at FROM durable_operations o "
                + "JOIN durable_attempts a ON a.id = o.current_attempt_id "
                + "JOIN durable_attempt_errors e ON e.attempt_id = o.current_attempt_id WHERE o.id IN (" + marks + ")", 0, ps -> {
                    int i = 1;
                    for (OperationId id : ids) ps.setString(i++, id.toString());
                }, rs -> new Row(OperationId.parse(rs.getString("id")), rs.getString("step"), rs.getInt("try_number"),
                        rs.getString("error_class"), rs.getBytes("message"), SqlValues.instant(rs, "occurred_at")));
        for (Row row : rows) last.merge(row.operation(), row, (a, b) -> a.attempt() >= b.attempt() ? a : b);
        return last;
    }
}

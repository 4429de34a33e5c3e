package io.durableops.core.internal.admin;

import io.durableops.core.OperationId;
import io.durableops.core.admin.FailureGroup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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

    /** The groups among the failed operations {@code where} matches (it holds the FAILED status), largest first. */
    static List<FailureGroup> groups(Connection c, Where where, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT o.definition, o.current_step, a.last_error_class, COUNT(*) "
                + "FROM durable_operations o LEFT JOIN durable_attempts a ON a.id = o.current_attempt_id" + where.sql()
                + " GROUP BY o.definition, o.current_step, a.last_error_class"
                + " ORDER BY COUNT(*) DESC, o.definition, o.current_step, a.last_error_class LIMIT ?")) {
            ps.setInt(where.bind(ps, 1), limit);
            List<FailureGroup> groups = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    groups.add(new FailureGroup(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)), rs.getLong(4)));
                }
            }
            return groups;
        }
    }

    /** The latest error of each operation's current attempt; an operation without one is absent. */
    static Map<OperationId, Row> lastErrors(Connection c, Collection<OperationId> ids, boolean withMessages) throws SQLException {
        Map<OperationId, Row> last = new LinkedHashMap<>();
        if (ids.isEmpty()) return last;
        String marks = String.join(", ", ids.stream().map(x -> "?").toList());
        try (PreparedStatement ps = c.prepareStatement("SELECT o.id, a.step, e.try_number, e.error_class, "
                + (withMessages ? "e.message" : "NULL") + ", e.occurred_at FROM durable_operations o "
                + "JOIN durable_attempts a ON a.id = o.current_attempt_id "
                + "JOIN durable_attempt_errors e ON e.attempt_id = o.current_attempt_id WHERE o.id IN (" + marks + ")")) {
            int i = 1;
            for (OperationId id : ids) ps.setString(i++, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = new Row(OperationId.parse(rs.getString(1)), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getBytes(5), AdminStore.instant(rs, 6));
                    last.merge(row.operation(), row, (a, b) -> a.attempt() >= b.attempt() ? a : b);
                }
            }
        }
        return last;
    }
}

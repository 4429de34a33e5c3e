package io.durableops.core.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks Durable Ops' tables against the rules every state must keep, whatever raced: a test (or the reliability
 * suite's audit) runs it after a workload and expects no violation. Read-only; any supported database.
 *
 * <ul>
 *   <li>Nothing runs or waits to run behind an ended operation: no attempt is SCHEDULED, or RUNNING without a
 *       successor, while its operation is COMPLETED, FAILED, EXPIRED or CANCELLED.</li>
 *   <li>A running operation has at most one attempt that is SCHEDULED or RUNNING without a successor: the flow never
 *       forks.</li>
 *   <li>No step visit is recorded twice: visits of an operation are unique.</li>
 * </ul>
 *
 * <pre>{@code
 * assertThat(Invariants.violations(dataSource)).isEmpty();
 * }</pre>
 */
public final class Invariants {
    /**
     * The attempts that are open: SCHEDULED, or RUNNING without a next visit (a RUNNING attempt with one is a fast-path
     * step that succeeded, not yet settled; see docs/concepts.md).
     */
    private static final String OPEN = "(a.status = 'SCHEDULED' OR a.status = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM durable_attempts n "
            + "WHERE n.operation_id = a.operation_id AND n.visit = a.visit + 1))";

    private Invariants() {
    }

    /** Every violation found, one line each (empty when the tables keep every rule). */
    public static List<String> violations(DataSource dataSource) {
        List<String> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            query(c, "SELECT o.id, o.status, a.step, a.status FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id "
                    + "WHERE o.status <> 'RUNNING' AND " + OPEN, rs -> found.add("operation " + rs.getString(1) + " is " + rs.getString(2)
                    + " but its attempt at step '" + rs.getString(3) + "' is " + rs.getString(4)));
            query(c, "SELECT a.operation_id, COUNT(*) FROM durable_attempts a WHERE " + OPEN + " GROUP BY a.operation_id HAVING COUNT(*) > 1",
                    rs -> found.add("operation " + rs.getString(1) + " has " + rs.getInt(2) + " open attempts: its flow forked"));
            query(c, "SELECT operation_id, visit, COUNT(*) FROM durable_attempts GROUP BY operation_id, visit HAVING COUNT(*) > 1",
                    rs -> found.add("operation " + rs.getString(1) + " recorded visit " + rs.getInt(2) + " " + rs.getInt(3) + " times"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check Durable Ops' tables: " + e.getMessage(), e);
        }
        return found;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) row.read(rs);
        }
    }
}

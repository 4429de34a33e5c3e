package io.durableops.core.internal.admin;

import io.durableops.core.OperationStatus;
import io.durableops.core.admin.AttemptDetail;
import io.durableops.core.admin.StepCount;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.instant;

/** The SQL of where operations are: counts per definition, version, step and status, and attempts' timing. */
final class PositionStore {
    private PositionStore() {
    }

    /**
     * One grouped query over the operations of {@code definitions}. why status first, as an IN list of every status:
     * it is the first column of the index {@code durable_operations_position (status, definition, definition_version,
     * current_step)} (V11), so each database reads a range of that index per status and definition, never the table.
     */
    static List<StepCount> stepCounts(Connection c, Collection<String> definitions) throws SQLException {
        if (definitions.isEmpty()) return List.of();
        OperationStatus[] statuses = OperationStatus.values();
        String sql = "SELECT status, definition, definition_version, current_step, COUNT(*) FROM durable_operations"
                + " WHERE status IN (" + marks(statuses.length) + ") AND definition IN (" + marks(definitions.size()) + ")"
                + " GROUP BY status, definition, definition_version, current_step";
        List<StepCount> counts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            for (OperationStatus s : statuses) ps.setString(++i, s.name());
            for (String d : definitions) ps.setString(++i, d);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(new StepCount(rs.getString(2), rs.getInt(3), rs.getString(4), OperationStatus.valueOf(rs.getString(1)), rs.getLong(5)));
                }
            }
        }
        return counts;
    }

    /** The attempts of an operation in visit order: when each was reached, a wait's deadline, its generation. */
    static List<AttemptDetail> attemptDetails(Connection c, UUID operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, created_at, deadline_at, generation FROM durable_attempts "
                + "WHERE operation_id = ? ORDER BY visit")) {
            ps.setString(1, operationId.toString());
            List<AttemptDetail> details = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.add(new AttemptDetail(UUID.fromString(rs.getString(1)), instant(rs, 2),
                            Optional.ofNullable(instant(rs, 3)), rs.getInt(4)));
                }
            }
            return details;
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}

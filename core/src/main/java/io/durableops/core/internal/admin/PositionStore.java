package io.durableops.core.internal.admin;

import io.durableops.core.OperationStatus;
import io.durableops.core.admin.AttemptDetail;
import io.durableops.core.admin.StepCount;

import io.durableops.core.internal.store.Sql;

import java.sql.Connection;
import java.sql.SQLException;
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
        return Sql.list(c, "SELECT status, definition, definition_version, current_step, COUNT(*) AS operations FROM durable_operations"
                + " WHERE status IN (" + marks(statuses.length) + ") AND definition IN (" + marks(definitions.size()) + ")"
                + " GROUP BY status, definition, definition_version, current_step", 0, ps -> {
                    int i = 0;
                    for (OperationStatus s : statuses) ps.setString(++i, s.name());
                    for (String d : definitions) ps.setString(++i, d);
                }, rs -> new StepCount(rs.getString("definition"), rs.getInt("definition_version"), rs.getString("current_step"),
                        OperationStatus.valueOf(rs.getString("status")), rs.getLong("operations")));
    }

    /** The attempts of an operation in visit order: when each was reached, a wait's deadline, its generation. */
    static List<AttemptDetail> attemptDetails(Connection c, UUID operationId) throws SQLException {
        return Sql.list(c, "SELECT id, created_at, deadline_at, generation FROM durable_attempts WHERE operation_id = ? ORDER BY visit", 0,
                ps -> ps.setString(1, operationId.toString()),
                rs -> new AttemptDetail(UUID.fromString(rs.getString("id")), instant(rs, "created_at"),
                        Optional.ofNullable(instant(rs, "deadline_at")), rs.getInt("generation")));
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}

package io.durableops.core.internal.store;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** PostgreSQL 13+, through pgJDBC. Its migrations are its own (migration-postgresql), from version 12 on. */
public final class PostgresDialect implements Dialect {
    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
        return Map.of("ts", "TIMESTAMP(6)", "blob", "BYTEA", "binary", "");
    }

    @Override
    public List<String> migrationLocations() {
        return List.of(Migrations.LOCATION + "-postgresql");
    }

    /**
     * why: pgJDBC prepares a statement on the server after five runs, and PostgreSQL then keeps a generic plan if it looks
     * no dearer; for {@code status = $1 LIMIT $2} it assumes 10 % of the table and reads all of it by a sequential scan
     * (21 ms at 100,000 operations, per status, against 1 ms planned for the values). SET LOCAL ends with the transaction.
     */
    @Override
    public void planForValues(java.sql.Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
    }

    @Override
    public boolean isTransient(SQLException e) {
        // 40001: serialization failure; 40P01: deadlock detected; 55P03: lock not available
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()) || "55P03".equals(e.getSQLState());
    }
}

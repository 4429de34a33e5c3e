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

    @Override
    public boolean isTransient(SQLException e) {
        // 40001: serialization failure; 40P01: deadlock detected; 55P03: lock not available
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()) || "55P03".equals(e.getSQLState());
    }
}

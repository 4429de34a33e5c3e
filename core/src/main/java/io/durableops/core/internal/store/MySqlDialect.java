package io.durableops.core.internal.store;

import java.sql.SQLException;
import java.util.Map;

/** MySQL 8 and MariaDB 10.6+, through MySQL Connector/J or the MariaDB driver. */
public final class MySqlDialect implements Dialect {
    @Override
    public String name() {
        return "MySQL";
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
        return Map.of("ts", "DATETIME(6)", "blob", "LONGBLOB");
    }

    @Override
    public boolean updatesJoinedTables() {
        return true;
    }

    @Override
    public boolean isTransient(SQLException e) {
        // 1213: deadlock found; 1205: lock wait timeout
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }
}

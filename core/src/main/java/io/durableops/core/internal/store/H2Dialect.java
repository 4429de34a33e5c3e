package io.durableops.core.internal.store;

import java.sql.SQLException;
import java.util.Map;

/** Embedded H2, the default for development and the demo. */
public final class H2Dialect implements Dialect {
    @Override
    public String name() {
        return "H2";
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
        // why no collation: H2 compares text as written, byte for byte, by default
        return Map.of("ts", "TIMESTAMP(6)", "blob", "VARBINARY(1000000000)", "binary", "");
    }

    @Override
    public boolean isTransient(SQLException e) {
        // 40001: deadlock; HYT00: lock timeout
        return "40001".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState());
    }
}

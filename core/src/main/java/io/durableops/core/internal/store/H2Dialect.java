package io.durableops.core.internal.store;

import io.durableops.core.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Embedded H2, the default for development and the demo. */
public final class H2Dialect implements Dialect {
    /**
     * Whether text compares as Java strings do (H2's default): no collation set, no column that ignores case (a
     * database created with {@code IGNORECASE=TRUE}); false until {@link #inspect} finds the migrated tables.
     */
    private volatile boolean comparesAsStrings;

    @Override
    public String name() {
        return "H2";
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
        // why no collation: H2 compares text as written, byte for byte, by default
        return Map.of("ts", "TIMESTAMP(6)", "blob", "VARBINARY(1000000000)", "binary", "");
    }

    /**
     * With a range on the fixed start as well, where text compares as strings. why: H2 plans a statement when it is
     * prepared, before its values are bound, so a {@code LIKE ?} alone never uses an index (an error-class pattern at
     * 100,000 operations read every attempt's class).
     */
    @Override
    public Match like(String column, String wildcards) {
        String start = wildcards.substring(0, Math.max(0, wildcards.indexOf('*')));
        int last = start.length() - 1;
        if (!comparesAsStrings || last < 0 || start.charAt(last) == Character.MAX_VALUE) return Dialect.super.like(column, wildcards);
        String above = start.substring(0, last) + (char) (start.charAt(last) + 1);
        return new Match(column + " >= ? AND " + column + " < ? AND " + column + " LIKE ? ESCAPE '!'",
                List.of(start, above, Dialect.likePattern(wildcards)));
    }

    @Override
    public void inspect(DataSource dataSource) {
        // why 'B' < 'a': true by code unit, false under any collation that sorts letters alphabetically
        String sql = "SELECT CASE WHEN 'B' < 'a' THEN 1 ELSE 0 END, COUNT(*), SUM(CASE WHEN DATA_TYPE = 'CHARACTER VARYING' THEN 0 ELSE 1 END)"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND UPPER(TABLE_NAME) IN ('DURABLE_OPERATIONS', 'DURABLE_ATTEMPTS')"
                + " AND UPPER(COLUMN_NAME) IN ('DEFINITION', 'CURRENT_STEP', 'IDEMPOTENCY_KEY', 'LAST_ERROR_CLASS')";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            comparesAsStrings = rs.next() && rs.getInt(1) == 1 && rs.getInt(2) == 4 && rs.getInt(3) == 0;
        } catch (SQLException e) {
            throw new StorageException("cannot read how H2 compares the tables' text: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isTransient(SQLException e) {
        // 40001: deadlock; HYT00: lock timeout
        return "40001".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState());
    }
}

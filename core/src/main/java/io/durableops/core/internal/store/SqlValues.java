package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * How every store binds and reads values: UTC timestamps with their microseconds, UUIDs as text, nullable bytes, and
 * JDBC batches. The database session's time zone never matters.
 */
public final class SqlValues {
    private SqlValues() {
    }

    /** Binds one row's parameters of a batched statement. */
    @FunctionalInterface
    public interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** Runs {@code sql} once per row as one JDBC batch, each row's parameters bound by {@code binder}. */
    public static <T> void batch(Connection c, String sql, Collection<T> rows, RowBinder<T> binder) throws SQLException {
        batchCounts(c, sql, rows, binder);
    }

    /** As {@link #batch}; returns each row's update count. */
    public static <T> int[] batchCounts(Connection c, String sql, Collection<T> rows, RowBinder<T> binder) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, sql)) {
            PreparedStatement ps = p.ps();
            try {
                for (T row : rows) {
                    binder.bind(ps, row);
                    ps.addBatch();
                }
                return ps.executeBatch();
            } catch (SQLException | RuntimeException e) {
                if (p.kept()) ps.clearBatch(); // why: a kept statement must not carry rows of a failed batch into its next use
                throw e;
            }
        }
    }

    /** {@code columns} (comma separated) with each column written as {@code as} says, comma separated again. */
    public static String eachColumn(String columns, UnaryOperator<String> as) {
        return Arrays.stream(columns.split(", ")).map(as).collect(Collectors.joining(", "));
    }

    /** {@link #uuid(ResultSet, int)} of the column named {@code column}. */
    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return uuid(rs, rs.findColumn(column));
    }

    public static UUID uuid(ResultSet rs, int column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : UUID.fromString(value);
    }

    /** A UTC timestamp column as an instant, or null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** {@link #instant(ResultSet, int)} of the column named {@code column}. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    /**
     * Binds a UTC timestamp with its microseconds, as text on H2 and MySQL/MariaDB, as a {@code LocalDateTime} on
     * PostgreSQL. why text: MySQL Connector/J reads MariaDB's version as "5.5.5-10.x", decides the server has no
     * fractional seconds and truncates a bound {@code LocalDateTime} to whole seconds, which let a delayed attempt be
     * claimed up to a second early; text keeps the microseconds, and the column type makes the comparison a timestamp
     * comparison. PostgreSQL's driver keeps them in a {@code LocalDateTime}, and types a string as text.
     */
    public static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.TIMESTAMP);
        else if (bindsTimestampsAsObjects(ps)) ps.setObject(index, LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC));
        else ps.setString(index, timestamp(value));
    }

    /** The connection this thread bound a timestamp on last, and whether its database takes them as objects. */
    private static final ThreadLocal<Object[]> LAST_CONNECTION = ThreadLocal.withInitial(() -> new Object[]{null, Boolean.FALSE});

    /**
     * Whether timestamps are bound as {@link LocalDateTime} objects on this statement's database: on PostgreSQL, whose
     * driver types a bound string as text, which a timestamp column does not take. Asked once per connection and thread.
     */
    private static boolean bindsTimestampsAsObjects(PreparedStatement ps) throws SQLException {
        Connection c = ps.getConnection();
        Object[] last = LAST_CONNECTION.get();
        if (last[0] instanceof java.lang.ref.WeakReference<?> ref && ref.get() == c) return (Boolean) last[1];
        boolean objects = String.valueOf(c.getMetaData().getDatabaseProductName()).toLowerCase(java.util.Locale.ROOT).contains("postgresql");
        last[0] = new java.lang.ref.WeakReference<>(c);
        last[1] = objects;
        return objects;
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC, written by hand: a DateTimeFormatter here was 9% of a fast-path
     * step's CPU in the benchmark's profile.
     */
    public static String timestamp(Instant value) {
        // why not ofInstant: it asks the offset for its rules, a new ZoneRules on every call (3% of a worker's CPU)
        LocalDateTime t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
        char[] c = new char[26];
        int year = t.getYear();
        if (year < 0 || year > 9999) throw new IllegalArgumentException("a timestamp must be in the years 0 to 9999, was " + value);
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public static void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException {
        if (value == null) ps.setNull(index, Types.CHAR);
        else ps.setString(index, value.toString());
    }

    public static void setBytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARBINARY);
        else ps.setBytes(index, value);
    }
}

package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A query's JDBC ceremony in one call: prepare, bind, run, read each row by its columns' names, close. The SQL and
 * its binding stay at the call, where a reader looks for them.
 *
 * <p>Every statement of the store is prepared through {@link #prepare}: on the connection a thread holds
 * ({@link Tx#hold}) it is prepared once and reused ({@link Statements}); on any other it is prepared and closed as usual.
 */
public final class Sql {
    private Sql() {
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        Binder NONE = ps -> {
        };

        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads the result's current row. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * A statement for {@code sql} on {@code c}, closed by {@link Prepared#close}: a statement kept on a held connection
     * stays open for its next use, any other is closed.
     */
    public static Prepared prepare(Connection c, String sql) throws SQLException {
        Statements statements = Statements.of(c);
        return statements == null ? new Prepared(c.prepareStatement(sql), false) : new Prepared(statements.get(sql), true);
    }

    /** A statement {@link #prepare} handed out, and whether it is kept for reuse. */
    public record Prepared(PreparedStatement ps, boolean kept) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            if (!kept) ps.close();
        }
    }

    /** Runs {@code sql}, an INSERT, UPDATE or DELETE; returns its update count. */
    public static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (Prepared p = prepare(c, sql)) {
            binder.bind(p.ps());
            return p.ps().executeUpdate();
        }
    }

    /** The rows {@code sql} selects, at most {@code maxRows} (0: all), each read by {@code reader}. */
    public static <T> List<T> list(Connection c, String sql, int maxRows, Binder binder, Reader<T> reader) throws SQLException {
        try (Prepared p = prepare(c, sql)) {
            PreparedStatement ps = p.ps();
            binder.bind(ps);
            // why compared first: a reused statement keeps its last maximum, and a driver may tell the server of each change
            if (ps.getMaxRows() != maxRows) ps.setMaxRows(maxRows);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(reader.read(rs));
            }
            return rows;
        }
    }

    /** The first row {@code sql} selects, read by {@code reader}, if there is one. */
    public static <T> Optional<T> first(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        try (Prepared p = prepare(c, sql)) {
            PreparedStatement ps = p.ps();
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
            }
        }
    }
}

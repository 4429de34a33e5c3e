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

    /** The rows {@code sql} selects, at most {@code maxRows} (0: all), each read by {@code reader}. */
    public static <T> List<T> list(Connection c, String sql, int maxRows, Binder binder, Reader<T> reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            if (maxRows > 0) ps.setMaxRows(maxRows);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(reader.read(rs));
            }
            return rows;
        }
    }

    /** The first row {@code sql} selects, read by {@code reader}, if there is one. */
    public static <T> Optional<T> first(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
            }
        }
    }
}

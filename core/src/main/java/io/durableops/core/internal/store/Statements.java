package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements kept on the connection a thread {@linkplain Tx#hold holds}: {@link Sql#prepare} on that
 * connection prepares each SQL text once and hands out the same statement on every later use, until the hold drops the
 * connection. why: MySQL Connector/J parses a client-side prepared statement's SQL again on every prepare unless the
 * application's pool sets {@code cachePrepStmts}; for the fast path's INSERT that parse was the largest single cost of a
 * step (docs/benchmarks.md). Not thread-safe, like the connection: only the holding thread uses it.
 *
 * <p>A kept statement's parameters are not cleared between uses: every statement of the store binds all of its
 * parameters on every use (Connector/J's {@code clearParameters} was 7.5% of a fast-path worker's CPU).
 */
final class Statements {
    /** The kept statements of the connection the calling thread is using as its held one, if it is. */
    private static final ThreadLocal<Statements> IN_USE = new ThreadLocal<>();

    private final Connection connection;
    private final Map<String, PreparedStatement> kept = new HashMap<>();

    Statements(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** The kept statements of {@code c}, when it is the connection the calling thread holds and is using now; else null. */
    static Statements of(Connection c) {
        Statements in = IN_USE.get();
        return in != null && in.connection == c ? in : null;
    }

    /** Runs {@code work} with this connection's statements kept ({@link #of}); restores what was in use before. */
    <T> T using(Tx.Work<T> work) throws SQLException {
        Statements before = IN_USE.get();
        IN_USE.set(this);
        try {
            return work.apply(connection);
        } finally {
            if (before == null) IN_USE.remove();
            else IN_USE.set(before);
        }
    }

    /** The statement for {@code sql}, prepared on first use. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = kept.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            kept.put(sql, statement);
        }
        return statement;
    }

    /** Closes the kept statements and the connection. */
    void close() throws SQLException {
        for (PreparedStatement statement : kept.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection's close below closes it anyway
            }
        }
        kept.clear();
        connection.close();
    }
}

package io.durableops.bench;

import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct statements Durable Ops ran through a {@link CountingDataSource} while it was set as its capture, each
 * with the parameters of one execution, its row limit and the store method that ran it: what {@link Explain} explains.
 */
final class SqlCapture {
    /** One bound parameter: the setter called and its arguments (index first). */
    record Binding(Method setter, Object[] args) {
    }

    /** A statement as it was executed once. */
    record Seen(String sql, List<Binding> bindings, int maxRows, String caller) {
        /** Binds the same parameters on {@code ps}, a statement of the same SQL (with a prefix, such as EXPLAIN). */
        void bind(PreparedStatement ps) throws SQLException {
            for (Binding b : bindings) {
                try {
                    b.setter().invoke(ps, b.args());
                } catch (ReflectiveOperationException e) {
                    throw new SQLException("cannot bind " + b.setter().getName() + " again", e);
                }
            }
        }
    }

    private final Map<String, Seen> seen = new LinkedHashMap<>();

    /**
     * Keeps the last execution of each statement of Durable Ops' tables (its rows are the likeliest to be still there
     * when it is explained), with the core method that ran it first; Flyway's own statements are left out.
     */
    synchronized void seen(String sql, List<Binding> bindings, int maxRows) {
        Seen before = seen.get(sql);
        if (before == null && (!sql.toLowerCase(java.util.Locale.ROOT).contains("durable_") || sql.contains("schema_history"))) return;
        seen.put(sql, new Seen(sql, bindings, maxRows, before == null ? caller() : before.caller()));
    }

    synchronized List<Seen> statements() {
        return List.copyOf(seen.values());
    }

    /** The first frame in Durable Ops' store or engine code: which query this is. */
    private static String caller() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("io.durableops.core.internal.store.") && !c.endsWith(".SqlValues") && !c.endsWith(".Sql") && !c.contains(".Sql$") && !c.endsWith(".Statements")) {
                return c.substring(c.lastIndexOf('.') + 1) + "." + frame.getMethodName();
            }
        }
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("io.durableops.core.") && !c.contains(".bench.")) return c.substring(c.lastIndexOf('.') + 1) + "." + frame.getMethodName();
        }
        return "?";
    }
}

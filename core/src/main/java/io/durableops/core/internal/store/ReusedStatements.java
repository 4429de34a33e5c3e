package io.durableops.core.internal.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection, held by one thread for many transactions, whose prepared statements are kept and reused: the store's
 * {@code prepareStatement(sql)} gets the statement it used before, and closing it does nothing. why: MySQL Connector/J
 * parses the SQL of every client-side prepared statement again unless the application's pool sets
 * {@code cachePrepStmts}; for the fast path's INSERT that parse was the largest single cost of a step (JFR, bench/).
 * Not thread-safe, like the connection it wraps.
 *
 * <p>why closing does not clear the parameters: every statement of {@link JdbcStore} binds all of its parameters on
 * every use, and Connector/J's {@code clearParameters} was 7.5% of a fast-path worker's CPU (JFR, bench/). why the
 * hot methods are called directly ({@link #forward}): through reflection, the 20 to 30 parameters bound per step cost
 * as much again.
 */
public final class ReusedStatements implements InvocationHandler {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private ReusedStatements(Connection connection) {
        this.connection = connection;
    }

    /** {@code connection}, reusing its prepared statements until the returned connection is closed. */
    public static Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(ReusedStatements.class.getClassLoader(), new Class<?>[]{Connection.class},
                new ReusedStatements(connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
            String sql = (String) args[0];
            PreparedStatement reused = statements.get(sql);
            if (reused == null) {
                PreparedStatement statement = connection.prepareStatement(sql);
                reused = (PreparedStatement) Proxy.newProxyInstance(ReusedStatements.class.getClassLoader(),
                        new Class<?>[]{PreparedStatement.class}, new Kept(statement));
                statements.put(sql, reused);
            }
            return reused;
        }
        if (method.getName().equals("close") && (args == null || args.length == 0)) {
            closeStatements();
        }
        return call(connection, method, args);
    }

    private void closeStatements() {
        for (PreparedStatement statement : statements.values()) {
            try {
                ((Kept) Proxy.getInvocationHandler(statement)).statement.close();
            } catch (SQLException ignored) {
                // the connection is being closed, which closes its statements anyway
            }
        }
        statements.clear();
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Calls {@code method} on {@code statement}: the methods a statement of the store calls for every use directly, any
     * other through reflection. For proxies of prepared statements (this one, and the benchmark's counting one).
     */
    public static Object forward(PreparedStatement statement, Method method, Object[] args) throws Throwable {
        int count = args == null ? 0 : args.length;
        if (count == 2) {
            switch (method.getName()) {
                case "setString" -> statement.setString((Integer) args[0], (String) args[1]);
                case "setInt" -> statement.setInt((Integer) args[0], (Integer) args[1]);
                case "setBytes" -> statement.setBytes((Integer) args[0], (byte[]) args[1]);
                case "setNull" -> statement.setNull((Integer) args[0], (Integer) args[1]);
                default -> {
                    return call(statement, method, args);
                }
            }
            return null;
        }
        if (count == 0) {
            switch (method.getName()) {
                case "executeUpdate" -> {
                    return statement.executeUpdate();
                }
                case "executeQuery" -> {
                    return statement.executeQuery();
                }
                default -> {
                }
            }
        }
        return call(statement, method, args);
    }

    /** A kept statement: closing it does nothing; the connection's close closes it. */
    private record Kept(PreparedStatement statement) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (args == null || args.length == 0) {
                switch (method.getName()) {
                    case "close" -> {
                        return null;
                    }
                    case "isClosed" -> {
                        return statement.isClosed();
                    }
                    default -> {
                    }
                }
            }
            return forward(statement, method, args);
        }
    }
}

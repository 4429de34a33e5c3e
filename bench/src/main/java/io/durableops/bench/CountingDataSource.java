package io.durableops.bench;


import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * A DataSource that counts every statement and commit made through it (see {@link SqlCounter}). Both Durable Ops
 * and JobRunr get their connections from it, so the counts are everything the process asks of the database.
 */
final class CountingDataSource implements DataSource {
    private final DataSource delegate;
    private final SqlCounter counter;
    /** When set, every executed statement is also shown to it with its bound parameters ({@link Explain}). */
    static volatile SqlCapture capture;

    CountingDataSource(DataSource delegate, SqlCounter counter) {
        this.delegate = delegate;
        this.counter = counter;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) throws SQLException {
        ConnectionHandler handler = new ConnectionHandler(connection, connection.getAutoCommit());
        Connection proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, handler);
        handler.self = proxy;
        return proxy;
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection target;
        private volatile boolean autoCommit;
        private Connection self;

        ConnectionHandler(Connection target, boolean autoCommit) {
            this.target = target;
            this.autoCommit = autoCommit;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(target, method, args);
            switch (method.getName()) {
                case "commit" -> counter.commit();
                case "setAutoCommit" -> {
                    autoCommit = (Boolean) args[0];
                    counter.statement(SqlCounter.Kind.SET, 1, false);
                }
                case "rollback" -> counter.statement(SqlCounter.Kind.SET, 1, false);
                case "prepareStatement" -> result = statement(PreparedStatement.class, (Statement) result, (String) args[0]);
                case "prepareCall" -> result = statement(CallableStatement.class, (Statement) result, (String) args[0]);
                case "createStatement" -> result = statement(Statement.class, (Statement) result, null);
                default -> { }
            }
            return result;
        }

        private Object statement(Class<? extends Statement> type, Statement statement, String sql) {
            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[]{type},
                    new StatementHandler(statement, sql, this));
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement target;
        private final String preparedSql;
        /** The kind of {@link #preparedSql}, found once: kindOf per execute showed in the profile. */
        private final SqlCounter.Kind preparedKind;
        private final ConnectionHandler connection;
        private SqlCounter.Kind batchKind;
        private long batched;
        /** The parameters bound since the last execute, for {@link #capture}: by index, the setter and its arguments. */
        private java.util.TreeMap<Integer, SqlCapture.Binding> bound;
        private int maxRows;

        StatementHandler(Statement target, String preparedSql, ConnectionHandler connection) {
            this.target = target;
            this.preparedSql = preparedSql;
            this.preparedKind = preparedSql == null ? null : SqlCounter.kindOf(preparedSql);
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            SqlCapture sink = capture;
            if (sink != null && preparedSql != null) {
                if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                    if (bound == null) bound = new java.util.TreeMap<>();
                    bound.put(index, new SqlCapture.Binding(method, args.clone()));
                } else if (name.equals("setMaxRows")) {
                    maxRows = (Integer) args[0];
                } else if (name.startsWith("execute") || name.equals("addBatch")) {
                    sink.seen(preparedSql, bound == null ? java.util.List.of() : java.util.List.copyOf(bound.values()), maxRows);
                }
            }
            switch (name) {
                case "getConnection" -> {
                    return connection.self;
                }
                case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" -> {
                    Object result = forward(method, args);
                    counter.statement(kindOf(args), 1, connection.autoCommit);
                    return result;
                }
                case "addBatch" -> {
                    batchKind = kindOf(args);
                    batched++;
                    return call(target, method, args);
                }
                case "clearBatch" -> batched = 0;
                case "executeBatch", "executeLargeBatch" -> {
                    Object result = call(target, method, args);
                    // why per item: Connector/J without rewriteBatchedStatements sends each batched item as a statement
                    if (batched > 0) counter.statement(batchKind, batched, connection.autoCommit);
                    batched = 0;
                    return result;
                }
                default -> { }
            }
            return forward(method, args);
        }

        /** The kind of the SQL an execute or addBatch call passes, or else of the prepared statement's. */
        private SqlCounter.Kind kindOf(Object[] args) {
            return args != null && args.length > 0 && args[0] instanceof String sql ? SqlCounter.kindOf(sql) : preparedKind;
        }

        /**
         * Calls {@code method} on the target: the methods a statement of the store calls for every use directly, any
         * other through reflection. why: the counter must not make statements with many parameters (20 to 30 bound per
         * step) look slower than they are.
         */
        private Object forward(Method method, Object[] args) throws Throwable {
            if (!(target instanceof PreparedStatement statement)) return call(target, method, args);
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
            if (count == 0 && method.getName().equals("executeUpdate")) return statement.executeUpdate();
            if (count == 0 && method.getName().equals("executeQuery")) return statement.executeQuery();
            return call(statement, method, args);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}

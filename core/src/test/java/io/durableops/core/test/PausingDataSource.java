package io.durableops.core.test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * A real data source that can hold one caller between two of its statements: {@link #pauseBefore} arms a pause for
 * the first statement a given thread executes whose SQL matches; that thread then waits, inside whatever transaction
 * it has open, until the test releases it. How races between two statements of one caller become deterministic tests.
 */
public final class PausingDataSource implements DataSource {
    private final DataSource target;
    private final List<Pause> armed = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> breaking;

    public PausingDataSource(DataSource target) {
        this.target = target;
    }

    /** A pause for the thread named {@code threadName}, before its first statement whose SQL matches {@code sql}. */
    public Pause pauseBefore(String threadName, Predicate<String> sql) {
        Pause pause = new Pause(threadName, sql, false);
        armed.add(pause);
        return pause;
    }

    /**
     * A pause for the thread named {@code threadName} before it commits, once it has executed a statement whose SQL
     * matches {@code sql}: it then holds what it wrote and locked, uncommitted.
     */
    public Pause pauseBeforeCommitAfter(String threadName, Predicate<String> sql) {
        Pause pause = new Pause(threadName, sql, true);
        armed.add(pause);
        return pause;
    }

    /**
     * Breaks the connection of the next statement whose SQL matches, as a network failure would: that statement fails
     * with SQL state 08S01, and every later call on its connection (rollback, auto-commit) with "Connection is closed".
     */
    public void breakBefore(Predicate<String> sql) {
        breaking = sql;
    }

    /** One armed pause. */
    public final class Pause {
        private final String threadName;
        private final Predicate<String> sql;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final boolean atCommit;
        private volatile boolean seen;

        private Pause(String threadName, Predicate<String> sql, boolean atCommit) {
            this.threadName = threadName;
            this.sql = sql;
            this.atCommit = atCommit;
        }

        /** Waits until the thread is held at its statement. */
        public void awaitReached() throws InterruptedException {
            if (!reached.await(30, TimeUnit.SECONDS)) throw new AssertionError("thread " + threadName + " never reached its pause");
        }

        /** Lets the thread go on with its statement. */
        public void release() {
            armed.remove(this);
            released.countDown();
        }

        boolean matches(String statement) {
            return reached.getCount() > 0 && Thread.currentThread().getName().equals(threadName) && sql.test(statement);
        }

        void hold() throws SQLException {
            reached.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) throw new SQLException("the test never released its pause");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted in a pause", e);
            }
        }
    }

    private void beforeExecute(String sql) throws SQLException {
        for (Pause pause : armed) {
            if (pause.matches(sql)) {
                if (pause.atCommit) {
                    pause.seen = true;
                } else {
                    pause.hold();
                    return;
                }
            }
        }
    }

    private void beforeCommit() throws SQLException {
        for (Pause pause : armed) {
            if (pause.atCommit && pause.seen && pause.reached.getCount() > 0 && Thread.currentThread().getName().equals(pause.threadName)) {
                pause.hold();
                return;
            }
        }
    }

    private Connection wrap(Connection connection) {
        boolean[] broken = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class}, new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                if (broken[0] && !method.getName().equals("close")) throw new SQLException("Connection is closed", "08003");
                if (method.getName().equals("commit")) beforeCommit();
                Object result = call(connection, method, args);
                if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
                    return statement(statement, (String) args[0], broken);
                }
                return result;
            }
        });
    }

    private PreparedStatement statement(PreparedStatement statement, String sql, boolean[] broken) {
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("execute")) {
                        Predicate<String> breaks = breaking;
                        if (breaks != null && breaks.test(sql)) {
                            breaking = null;
                            broken[0] = true;
                            throw new SQLException("Communications link failure: the network went away", "08S01");
                        }
                        beforeExecute(sql);
                    }
                    return call(statement, method, args);
                });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}

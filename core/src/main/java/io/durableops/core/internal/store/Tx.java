package io.durableops.core.internal.store;

import io.durableops.core.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;

/**
 * Runs work in one transaction: commits if it returns, rolls back if it throws, restores auto-commit, and runs the
 * whole transaction again on a deadlock or lock timeout (a few times).
 *
 * <p>A thread may {@link #hold} one connection for many transactions (the fast path's worker): while it does, every
 * transaction and statement that thread runs through this class uses that connection, so no thread ever waits for a
 * second connection of the pool while it keeps one. why: with a small pool, workers that each held one and asked for
 * another waited for each other until the pool's timeout. At most {@code mostHeld} connections are held at once; a
 * thread that finds none left works through the pool, one connection at a time.
 */
public final class Tx {
    private static final int TRANSIENT_RETRIES = 5;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Semaphore holds;
    private final ThreadLocal<Held> held = new ThreadLocal<>();

    public Tx(DataSource dataSource, Dialect dialect) {
        this(dataSource, dialect, Integer.MAX_VALUE);
    }

    /** {@code mostHeld}: how many connections threads may {@link #hold} at once. */
    public Tx(DataSource dataSource, Dialect dialect, int mostHeld) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.holds = new Semaphore(Math.max(0, mostHeld));
    }

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Thrown by work to roll back without an error; {@link #run} then returns {@code null}. */
    public static final class Rollback extends RuntimeException {
        public Rollback() {
            super(null, null, false, false);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public <T> T run(String what, Work<T> work) {
        Held h = usable();
        if (h != null) return h.use(what, false, c -> commitOrRollBack(c, work));
        return runPooled(what, work);
    }

    /**
     * As {@link #run}, always on a connection of the pool, also on a thread that holds one: for a transaction whose
     * connection user code gets (a transactional step), which must see a plain connection of its own.
     */
    public <T> T runPooled(String what, Work<T> work) {
        return retryingTransient(what, () -> {
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    return commitOrRollBack(connection, work);
                } finally {
                    restoreAutoCommit(connection, autoCommit);
                }
            }
        });
    }

    /**
     * Runs work on a pooled connection in auto-commit mode (single statements), run again on a deadlock or lock
     * timeout like a transaction: a statement that fails so is undone whole. (A step's claim once failed its JobRunr job
     * this way, when two claims deadlocked on MariaDB's secondary indexes.)
     */
    public <T> T auto(String what, Work<T> work) {
        Held h = usable();
        if (h != null) return h.use(what, true, work);
        return retryingTransient(what, () -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.apply(connection);
            }
        });
    }

    /**
     * Binds a connection to the calling thread until the returned hold is released: {@link #run} and {@link #auto} on
     * this thread use it meanwhile, and the statements the store prepares on it through {@link Sql#prepare} are kept
     * and reused ({@link Statements}). Null if this thread holds one already or if
     * {@code mostHeld} are held: the caller then simply works through the pool.
     */
    public Hold hold() {
        if (held.get() != null || !holds.tryAcquire()) return null;
        try {
            Held h = new Held(new Statements(dataSource.getConnection()));
            held.set(h);
            return h;
        } catch (SQLException | RuntimeException e) {
            holds.release();
            return null; // why not thrown: the pool is busy or down; the caller's statements say so themselves
        }
    }

    /** A connection a thread holds ({@link #hold}); released by the thread that holds it (closing it again does nothing). */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    private Held usable() {
        Held h = held.get();
        return h == null || h.busy ? null : h;
    }

    private final class Held implements Hold {
        /** The held connection and the statements kept on it; null after a failure until the next use. */
        private Statements connection;
        /** Whether a transaction or statement runs on it now: a nested one takes a pooled connection instead. */
        private boolean busy;
        /** Whether {@link #close} ran: a second close releases nothing. */
        private boolean released;

        Held(Statements connection) {
            this.connection = connection;
        }

        <T> T use(String what, boolean autoCommit, Work<T> work) {
            busy = true;
            try {
                return retryingTransient(what, () -> {
                    if (connection == null) connection = new Statements(dataSource.getConnection());
                    Connection c = connection.connection();
                    if (c.getAutoCommit() != autoCommit) c.setAutoCommit(autoCommit);
                    return connection.using(work);
                });
            } catch (RuntimeException | java.lang.Error e) {
                drop(); // why: after a failure the connection may be broken; the next use takes a fresh one
                throw e;
            } finally {
                busy = false;
            }
        }

        private void drop() {
            if (connection == null) return;
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection: the pool discards it
            }
            connection = null;
        }

        @Override
        public void close() {
            if (released) return;
            released = true;
            if (held.get() == this) held.remove();
            drop();
            holds.release();
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws SQLException;
    }

    /** Runs a transaction again after a deadlock or lock timeout (a few times), and wraps what is left as a StorageException. */
    private <T> T retryingTransient(String what, Attempt<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.run();
            } catch (SQLException e) {
                if (dialect.isTransient(e) && attempt < TRANSIENT_RETRIES) {
                    pause(attempt);
                    continue;
                }
                throw new StorageException("could not " + what + ": " + describe(e), e);
            }
        }
    }

    /** The message of {@code e}, with its SQL state and vendor code, which say more than "Connection is closed". */
    private static String describe(SQLException e) {
        return e.getMessage() + " (SQL state " + e.getSQLState() + ", error " + e.getErrorCode() + ")";
    }

    private static <T> T commitOrRollBack(Connection connection, Work<T> work) throws SQLException {
        try {
            T result = work.apply(connection);
            connection.commit();
            return result;
        } catch (Rollback rollback) {
            connection.rollback();
            return null;
        } catch (SQLException | RuntimeException | java.lang.Error e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    /**
     * Puts auto-commit back as the pool handed the connection out. why quietly: on a connection that broke mid-transaction
     * this throws too ("Connection is closed"), and thrown from a {@code finally} it replaced the failure that says what
     * went wrong; the pool discards a broken connection anyway.
     */
    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
            // the connection is broken; the failure that broke it is already on its way up
        }
    }

    public boolean isDuplicateKey(SQLException e) {
        return dialect.isDuplicateKey(e);
    }

    /** A short, growing, random pause so transactions that deadlocked do not collide again at once. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}

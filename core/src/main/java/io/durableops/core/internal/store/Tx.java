package io.durableops.core.internal.store;

import io.durableops.core.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one transaction: commits if it returns, rolls back if it throws, restores auto-commit, and runs the
 * whole transaction again on a deadlock or lock timeout (a few times).
 */
public final class Tx {
    private static final int TRANSIENT_RETRIES = 5;

    private final DataSource dataSource;
    private final Dialect dialect;

    public Tx(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
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

    public <T> T run(String what, Work<T> work) {
        return retryingTransient(what, () -> {
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    return commitOrRollBack(connection, work);
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
            }
        });
    }

    /**
     * As {@link #run}, on a connection the caller holds in manual-commit mode across several transactions (the fast
     * path's worker), which saves switching auto-commit off and on around each one. The connection stays open.
     */
    public <T> T runOn(Connection held, String what, Work<T> work) {
        return retryingTransient(what, () -> commitOrRollBack(held, work));
    }

    /**
     * One statement on a connection the caller holds, committed on its own (auto-commit): the fast path's step recorded
     * alone. Run again on a deadlock or lock timeout, like a transaction.
     */
    public <T> T autoOn(Connection held, String what, Work<T> work) {
        return retryingTransient(what, () -> work.apply(held));
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
                throw new StorageException("could not " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A connection for {@link #runOn} (switch auto-commit off first) and {@link #autoOn} (auto-commit on, as the pool
     * hands it out). Close it when done: the pool restores auto-commit.
     */
    public Connection hold() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StorageException("could not open a connection: " + e.getMessage(), e);
        }
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

    public boolean isDuplicateKey(SQLException e) {
        return dialect.isDuplicateKey(e);
    }

    /**
     * Runs work on a pooled connection in auto-commit mode (single statements), run again on a deadlock or lock
     * timeout like a transaction: a statement that fails so is undone whole. (A step's claim once failed its JobRunr job
     * this way, when two claims deadlocked on MariaDB's secondary indexes.)
     */
    public <T> T auto(String what, Work<T> work) {
        return retryingTransient(what, () -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.apply(connection);
            }
        });
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

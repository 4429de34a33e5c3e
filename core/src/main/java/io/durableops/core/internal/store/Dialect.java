package io.durableops.core.internal.store;

import io.durableops.core.AttemptStatus;
import io.durableops.core.ConfigurationException;
import io.durableops.core.OperationStatus;
import io.durableops.core.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.time.Instant;

/**
 * What differs between databases: column types and locations of the migrations, how errors are classified, and the SQL
 * only one database runs (MySQL/MariaDB's joined completion, {@link MySqlSteps}). The portable SQL stays in the stores.
 */
public interface Dialect {
    String name();

    /** Placeholders the Flyway migrations are rendered with ({@code ${ts}}, {@code ${blob}} and the dialect's own). */
    Map<String, String> migrationPlaceholders();

    /** Where this database's Flyway migrations are: the shared ones, and any of its own. */
    default List<String> migrationLocations() {
        return List.of(Migrations.LOCATION);
    }

    /**
     * Makes the rest of the current transaction plan each statement for its bound values. By default nothing: only
     * PostgreSQL keeps a generic plan of a prepared statement (after five runs), which for a bounded read such as
     * {@code ... WHERE status = ? LIMIT ?} is a scan of the whole table.
     */
    default void planForValues(Connection c) throws SQLException {
    }

    /**
     * {@code column} against a filter's text with {@code *} wildcards: the SQL and its bound values, in order. By default
     * {@code LIKE ? ESCAPE '!'} of its {@link #likePattern} alone, whose fixed start MySQL/MariaDB range-scan by the
     * bound value.
     */
    default Match like(String column, String wildcards) {
        return new Match(column + " LIKE ? ESCAPE '!'", List.of(likePattern(wildcards)));
    }

    /**
     * A filter's text as a LIKE pattern: {@code *} as {@code %}, LIKE's own {@code %}, {@code _} and escape character
     * escaped with {@code !} (a backslash means different things per database).
     */
    static String likePattern(String wildcards) {
        StringBuilder s = new StringBuilder(wildcards.length() + 4);
        for (char ch : wildcards.toCharArray()) {
            switch (ch) {
                case '*' -> s.append('%');
                case '!', '%', '_' -> s.append('!').append(ch);
                default -> s.append(ch);
            }
        }
        return s.toString();
    }

    /** Reads, once the tables are migrated, what they say about how this database compares text; by default nothing. */
    default void inspect(DataSource dataSource) {
    }

    /** A predicate with its bound text values, in order. */
    record Match(String sql, List<String> values) {
    }

    /** A unique or primary key was violated. */
    default boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062;
    }

    /**
     * Records a step's completion ({@link JdbcStore#completeStep}): by default in two statements, the operation's move
     * ({@link JdbcStore#advanceOperation}) and the finished try ({@link JdbcStore#finishAttempt}), both or neither.
     */
    default boolean completeStep(JdbcStore store, Connection c, UUID operationId, UUID pointer, UUID attemptId, int attemptCount,
                                 OperationStatus status, String currentStep, UUID currentAttempt, byte[] globals, byte[] results,
                                 String failureReason, Instant now) throws SQLException {
        return store.advanceOperation(c, operationId, pointer, status, currentStep, currentAttempt, globals, results, failureReason, now)
                && store.finishAttempt(c, attemptId, attemptCount, AttemptStatus.SUCCEEDED, null, null, now);
    }

    /** Whether a fast-path step is recorded alone, in one auto-committed statement ({@link Turns#recordAlone}). */
    default boolean recordsStepsAlone() {
        return false;
    }

    /** {@link Turns#recordAlone}, on a database that {@link #recordsStepsAlone()}. */
    default boolean recordStepAlone(Connection c, UUID pointer, UUID finished, int finishedTry, Rows.Attempt next) throws SQLException {
        throw new UnsupportedOperationException(name() + " records no step alone");
    }

    /** {@link Turns#settle}: nothing to settle where no step is recorded alone. */
    default int settleStepsRecordedAlone(Connection c, UUID operationId, UUID turnStart) throws SQLException {
        return 0;
    }

    /** A deadlock or lock timeout: the whole transaction may simply be run again. */
    boolean isTransient(SQLException e);

    /** Picks the dialect from the driver's metadata. */
    static Dialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            String url = String.valueOf(connection.getMetaData().getURL()).toLowerCase(java.util.Locale.ROOT);
            if (product.contains("h2")) return new H2Dialect();
            if (product.contains("postgresql")) return new PostgresDialect();
            if (product.contains("mysql") || product.contains("mariadb") || url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
                // why the version: MySQL Connector/J names a MariaDB server "MySQL", but its version says MariaDB
                String version = String.valueOf(connection.getMetaData().getDatabaseProductVersion()).toLowerCase(java.util.Locale.ROOT);
                return new MySqlDialect(product.contains("mariadb") || version.contains("mariadb"));
            }
            throw new ConfigurationException("Durable Ops supports H2, MySQL/MariaDB and PostgreSQL; this database reports itself as '"
                    + connection.getMetaData().getDatabaseProductName() + "'");
        } catch (SQLException e) {
            throw new StorageException("cannot open a connection to detect the database: " + e.getMessage(), e);
        }
    }
}

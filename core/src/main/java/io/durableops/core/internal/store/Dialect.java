package io.durableops.core.internal.store;

import io.durableops.core.ConfigurationException;
import io.durableops.core.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** What differs between databases: column types for the migrations and how errors are classified. */
public interface Dialect {
    String name();

    /** Placeholders the Flyway migrations are rendered with ({@code ${ts}}, {@code ${blob}} and the dialect's own). */
    Map<String, String> migrationPlaceholders();

    /** Where this database's Flyway migrations are: the shared ones, and any of its own. */
    default List<String> migrationLocations() {
        return List.of(Migrations.LOCATION);
    }

    /** A unique or primary key was violated. */
    default boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062;
    }

    /**
     * Whether one UPDATE may change rows of two tables joined together (MySQL's multi-table UPDATE), which records a
     * step's completion on its operation and its attempt in one statement instead of two.
     */
    default boolean updatesJoinedTables() {
        return false;
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

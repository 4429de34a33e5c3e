package io.durableops.core.test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * A real database for one test: a fresh in-memory H2, or the MariaDB/MySQL server named by the system property
 * {@code durableops.test.mysql.url} (or the environment variable {@code DURABLEOPS_TEST_MYSQL_URL}), emptied first.
 * Under CI ({@code CI=true}) a missing or unreachable MariaDB fails the test; elsewhere it is skipped, loudly.
 * Sessions run in a non-UTC time zone so any timestamp that is not stored as UTC shows up as a failure.
 */
public final class TestDatabase implements AutoCloseable {
    /** Tables emptied before each MariaDB test: all of Durable Ops' (but its schema history) and JobRunr's jobs. */
    private static final String TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
            + "AND (table_name LIKE 'durable\\_%' AND table_name <> 'durable_ops_schema_history' "
            + "OR table_name IN ('jobrunr_jobs', 'jobrunr_recurring_jobs', 'jobrunr_backgroundjobservers'))";

    private final HikariDataSource dataSource;
    private final String kind;

    private TestDatabase(HikariDataSource dataSource, String kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    public static TestDatabase h2() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:durable-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(12);
        config.setConnectionInitSql("SET TIME ZONE 'Asia/Kolkata'");
        return new TestDatabase(new HikariDataSource(config), "H2");
    }

    public static TestDatabase mariaDb() {
        return server("MariaDB", mysqlUrl(), "durableops.test.mysql.url", "jdbc:mysql://127.0.0.1:3306/test?user=root",
                "SET time_zone = '+05:30'");
    }

    /**
     * The PostgreSQL server named by the system property {@code durableops.test.postgres.url} (or the environment
     * variable {@code DURABLEOPS_TEST_POSTGRES_URL}), emptied first; under CI a missing or unreachable one fails the
     * test, elsewhere it is skipped, loudly.
     */
    public static TestDatabase postgres() {
        String url = System.getProperty("durableops.test.postgres.url");
        if (url == null || url.isBlank()) url = System.getenv("DURABLEOPS_TEST_POSTGRES_URL");
        return server("PostgreSQL", url, "durableops.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                "SET TIME ZONE 'Asia/Kolkata'");
    }

    private static TestDatabase server(String kind, String url, String property, String example, String initSql) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (url == null || url.isBlank()) {
            if (ci) throw new IllegalStateException("CI=true but no " + kind + " URL is set (" + property + "): the " + kind + " suite must run under CI");
            System.err.println("*** SKIPPING the " + kind + " suite: set -D" + property + "=" + example + " to run it ***");
            Assumptions.abort(kind + " suite skipped: no " + property);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(12);
        config.setConnectionInitSql(initSql);
        config.setInitializationFailTimeout(10_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (ci) throw new IllegalStateException("the " + kind + " suite must run under CI, but " + url + " is unreachable: " + e.getMessage(), e);
            System.err.println("*** SKIPPING the " + kind + " suite: " + url + " is unreachable: " + e.getMessage() + " ***");
            Assumptions.abort(kind + " unreachable: " + e.getMessage());
            throw e;
        }
        TestDatabase db = new TestDatabase(dataSource, kind);
        db.empty();
        return db;
    }

    /**
     * A scratch MariaDB database of its own, created afresh with {@code options} (say, another default character set),
     * on the server of {@link #mariaDb()}.
     */
    public static TestDatabase mariaDbCreatedWith(String database, String options) {
        TestDatabase server = mariaDb();
        try (Connection c = server.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database + " " + options);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        } finally {
            server.close();
        }
        String url = mysqlUrl();
        int slash = url.indexOf('/', "jdbc:mysql://".length());
        int query = url.indexOf('?');
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query)));
        config.setMaximumPoolSize(4);
        return new TestDatabase(new HikariDataSource(config), "MariaDB");
    }

    private static String mysqlUrl() {
        String url = System.getProperty("durableops.test.mysql.url");
        return url == null || url.isBlank() ? System.getenv("DURABLEOPS_TEST_MYSQL_URL") : url;
    }

    /** Another pool of at most {@code size} connections on this same database (close it when done). */
    public HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        dataSource.copyStateTo(config);
        config.setPoolName(null);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, config.getMinimumIdle()));
        return new HikariDataSource(config);
    }

    /** The JDBC URL of this database, for code that opens its own connections (the pre-deploy check's command). */
    public String jdbcUrl() {
        return dataSource.getJdbcUrl();
    }

    /** The user of {@link #jdbcUrl()}, or null when the URL names it. */
    public String user() {
        return dataSource.getUsername();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String kind() {
        return kind;
    }

    /**
     * How many sessions of this database wait for a lock now: how a race test tells that a caller is blocked by
     * another's transaction (rather than finished) before it lets the other go on.
     */
    public int lockWaits() {
        String sql = switch (kind) {
            case "H2" -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
            // why the second condition: a locking read of a row by its primary key waits in the optimizer's "Statistics"
            // state, where INNODB_TRX does not show it; a statement of ours that has run for 200 ms is waiting for a lock
            case "MariaDB" -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t "
                    + "ON t.trx_mysql_thread_id = p.ID WHERE p.DB = DATABASE() AND (t.trx_state = 'LOCK WAIT' "
                    + "OR p.COMMAND = 'Query' AND p.TIME_MS > 200 AND p.INFO LIKE '%durable\\_%' AND p.INFO NOT LIKE '%PROCESSLIST%')";
            default -> "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
        };
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the lock waits of " + kind + ": " + e.getMessage(), e);
        }
    }

    /** What the database's sessions are doing, for a test's failure message. */
    public String sessions() {
        String sql = switch (kind) {
            case "H2" -> "SELECT SESSION_ID, EXECUTING_STATEMENT, BLOCKER_ID FROM INFORMATION_SCHEMA.SESSIONS";
            case "MariaDB" -> "SELECT p.ID, p.DB, p.STATE, p.INFO, t.trx_state FROM information_schema.PROCESSLIST p "
                    + "LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID";
            default -> "SELECT pid, datname, state, wait_event_type, query FROM pg_stat_activity";
        };
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.append("\n  ");
                for (int i = 1; i <= columns; i++) out.append(rs.getString(i)).append(" | ");
            }
        } catch (SQLException e) {
            out.append("(cannot read: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    /** Deletes every row of Durable Ops' and JobRunr's tables that exist. */
    public void empty() {
        if (kind.equals("PostgreSQL")) {
            emptyPostgres();
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery(TABLES)) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            s.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : tables) s.executeUpdate("DELETE FROM " + table);
            s.execute("SET FOREIGN_KEY_CHECKS = 1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test database: " + e.getMessage(), e);
        }
    }

    private void emptyPostgres() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    + "AND (tablename LIKE 'durable\\_%' AND tablename <> 'durable_ops_schema_history' "
                    + "OR tablename IN ('jobrunr_jobs', 'jobrunr_recurring_jobs', 'jobrunr_backgroundjobservers'))")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            if (!tables.isEmpty()) s.executeUpdate("TRUNCATE " + String.join(", ", tables) + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return kind;
    }
}

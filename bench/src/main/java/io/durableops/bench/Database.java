package io.durableops.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's database on MariaDB or PostgreSQL ({@link Kind}, from the server URL): a dedicated database that is
 * dropped and created again before every workload (or, for a seeded history, emptied of the benchmark's own rows:
 * {@link #keepHistory}), pools of counted connections for the workloads, and one uncounted control connection for the
 * driver's own look-ups (sizes, server counters, waiting for completion).
 */
final class Database implements AutoCloseable {
    /** The two servers the benchmark runs on. */
    enum Kind {
        MARIADB("MariaDB"), POSTGRES("PostgreSQL");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String url) {
            return url.startsWith("jdbc:postgresql:") ? POSTGRES : MARIADB;
        }
    }

    /** Databases other people run tests in; the benchmark never touches them. */
    private static final Set<String> FORBIDDEN = Set.of("test", "lead", "cicheck", "mysql", "information_schema",
            "performance_schema", "sys");
    static final List<String> STATUS_COUNTERS = List.of("Com_select", "Com_insert", "Com_update", "Com_delete", "Com_commit");

    final String serverUrl;
    final String name;
    final Kind kind;
    /** MariaDB: the control connection (it names {@code `db`.table}); PostgreSQL: one to the server's maintenance database. */
    private final Connection admin;
    /** PostgreSQL only: the control connection to the benchmark database, opened again after each re-creation. */
    private Connection pgControl;
    private boolean keepHistory;

    Database(String serverUrl, String name) throws SQLException {
        if (FORBIDDEN.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("the benchmark must not use database '" + name + "': others run tests there");
        }
        if (!name.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("database name must be [A-Za-z0-9_]+, was " + name);
        this.serverUrl = serverUrl;
        this.name = name;
        this.kind = Kind.of(serverUrl);
        this.admin = DriverManager.getConnection(url(kind == Kind.POSTGRES ? "postgres" : ""));
    }

    /** {@code jdbc:mysql://host:port/} (or {@code jdbc:postgresql://}) + database + the query string of the server URL. */
    String url(String database) {
        int q = serverUrl.indexOf('?');
        String base = q < 0 ? serverUrl : serverUrl.substring(0, q);
        String query = q < 0 ? "" : serverUrl.substring(q);
        if (!base.endsWith("/")) base += "/";
        return base + database + query;
    }

    String serverVersion() throws SQLException {
        return admin.getMetaData().getDatabaseProductVersion();
    }

    /** The server's durability settings, for the report's environment line. */
    String durability() throws SQLException {
        if (kind == Kind.MARIADB) return "innodb_flush_log_at_trx_commit=" + queryLong("SELECT @@innodb_flush_log_at_trx_commit");
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_commit'), "
                + "current_setting('fsync'), current_setting('shared_buffers')")) {
            rs.next();
            return "synchronous_commit=" + rs.getString(1) + ", fsync=" + rs.getString(2) + ", shared_buffers=" + rs.getString(3);
        }
    }

    /**
     * From now on {@link #recreate} keeps the database and its seeded history ({@link HistorySeed}) and deletes only what
     * the benchmark's own workloads left: their operations (and through the foreign keys their attempts), nodes, limit
     * places and JobRunr's tables (JobRunr creates them again at its start).
     */
    void keepHistory() {
        keepHistory = true;
    }

    boolean keepsHistory() {
        return keepHistory;
    }

    /** Drops and creates the benchmark database: the next workload starts from nothing (but see {@link #keepHistory}). */
    void recreate() throws SQLException {
        if (keepHistory) {
            HistorySeed.clearWorkloads(this);
            return;
        }
        if (kind == Kind.POSTGRES) {
            closePgControl();
            try (Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
                s.execute("CREATE DATABASE \"" + name + "\"");
            }
            return;
        }
        try (Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            s.execute("CREATE DATABASE `" + name + "`");
        }
    }

    /** Creates the benchmark database if it does not exist (the history run's, kept across runs). */
    void createIfMissing() throws SQLException {
        if (kind == Kind.MARIADB) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS `" + name + "`");
            }
            return;
        }
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return;
            }
        }
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
    }

    /** A pool on the benchmark database whose statements and commits are counted by {@code counter}. */
    Pool pool(int size, SqlCounter counter) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(name));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("bench-" + name);
        if (kind == Kind.POSTGRES) {
            // pgJDBC prepares a statement on the server from its fifth execution on (prepareThreshold), as a production pool has it
            HikariDataSource hikari = new HikariDataSource(config);
            return new Pool(hikari, new CountingDataSource(hikari, counter));
        }
        // HikariCP's recommended settings for MySQL Connector/J, as a production pool would have them (docs/operations-guide.md);
        // raw JobRunr uses the same pool. Without cachePrepStmts the driver parses every statement's SQL again.
        config.addDataSourceProperty("cachePrepStmts", "true");
        config.addDataSourceProperty("prepStmtCacheSize", "250");
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        config.addDataSourceProperty("useServerPrepStmts", "true");
        config.addDataSourceProperty("useLocalSessionState", "true");
        config.addDataSourceProperty("rewriteBatchedStatements", "true");
        config.addDataSourceProperty("cacheResultSetMetadata", "true");
        config.addDataSourceProperty("cacheServerConfiguration", "true");
        config.addDataSourceProperty("elideSetAutoCommits", "true");
        config.addDataSourceProperty("maintainTimeStats", "false");
        HikariDataSource hikari = new HikariDataSource(config);
        return new Pool(hikari, new CountingDataSource(hikari, counter));
    }

    record Pool(HikariDataSource hikari, CountingDataSource counted) implements AutoCloseable {
        @Override
        public void close() {
            hikari.close();
        }
    }

    /** Bytes (data + indexes) of the given tables after ANALYZE TABLE, by table; tables that do not exist are left out. */
    Map<String, Long> tableBytes(List<String> tables) throws SQLException {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (String table : tables) {
            if (!tableExists(table)) continue;
            if (kind == Kind.POSTGRES) {
                try (Statement s = control().createStatement()) {
                    s.execute("ANALYZE " + table);
                }
                try (PreparedStatement ps = control().prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) bytes.put(table, rs.getLong(1));
                    }
                }
                continue;
            }
            try (Statement s = admin.createStatement()) {
                s.execute("ANALYZE TABLE `" + name + "`.`" + table + "`"); // refreshes data_length and index_length
            }
            try (PreparedStatement ps = admin.prepareStatement("SELECT data_length + index_length FROM information_schema.tables "
                    + "WHERE table_schema = ? AND table_name = ?")) {
                ps.setString(1, name);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) bytes.put(table, rs.getLong(1));
                }
            }
        }
        return bytes;
    }

    boolean tableExists(String table) throws SQLException {
        String sql = kind == Kind.POSTGRES ? "SELECT 1 FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'public' AND table_name = ?"
                : "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?";
        try (PreparedStatement ps = control().prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The server-wide statement counters (they include every other client of the server); none on PostgreSQL. */
    Map<String, Long> globalStatus() throws SQLException {
        Map<String, Long> values = new LinkedHashMap<>();
        if (kind == Kind.POSTGRES) return values;
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS")) {
            while (rs.next()) {
                String key = rs.getString(1);
                for (String counter : STATUS_COUNTERS) {
                    if (counter.equalsIgnoreCase(key)) values.put(counter, rs.getLong(2));
                }
            }
        }
        return values;
    }

    static long sumDelta(Map<String, Long> before, Map<String, Long> after) {
        long sum = 0;
        for (String key : STATUS_COUNTERS) sum += after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
        return sum;
    }

    /** A single number from the benchmark database (uncounted); {@code ${db}.table} names one of its tables. */
    long queryLong(String sql) throws SQLException {
        try (Statement s = control().createStatement(); ResultSet rs = s.executeQuery(qualify(sql))) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** {@code ${db}.table} as this server names the benchmark database's table from the control connection. */
    String qualify(String sql) {
        return kind == Kind.POSTGRES ? sql.replace("${db}.", "") : sql.replace("${db}", "`" + name + "`");
    }

    /**
     * The control connection, for reading results (uncounted): on MariaDB a connection to the server, whose statements
     * name {@code `db`.table}; on PostgreSQL one to the benchmark database itself (use {@link #qualify}).
     */
    Connection control() throws SQLException {
        if (kind == Kind.MARIADB) return admin;
        if (pgControl == null || pgControl.isClosed()) pgControl = DriverManager.getConnection(url(name));
        return pgControl;
    }

    private void closePgControl() throws SQLException {
        if (pgControl != null) pgControl.close();
        pgControl = null;
    }

    @Override
    public void close() throws SQLException {
        closePgControl();
        admin.close();
    }

    static Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }
}

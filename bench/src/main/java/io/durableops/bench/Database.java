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
 * The benchmark's MariaDB: a dedicated database that is dropped and created again before every workload, pools of
 * counted connections for the workloads, and one uncounted control connection for the driver's own look-ups (sizes,
 * server counters, waiting for completion).
 */
final class Database implements AutoCloseable {
    /** Databases other people run tests in; the benchmark never touches them. */
    private static final Set<String> FORBIDDEN = Set.of("test", "lead", "cicheck", "mysql", "information_schema",
            "performance_schema", "sys");
    static final List<String> STATUS_COUNTERS = List.of("Com_select", "Com_insert", "Com_update", "Com_delete", "Com_commit");

    final String serverUrl;
    final String name;
    private final Connection control;

    Database(String serverUrl, String name) throws SQLException {
        if (FORBIDDEN.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("the benchmark must not use database '" + name + "': others run tests there");
        }
        if (!name.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("database name must be [A-Za-z0-9_]+, was " + name);
        this.serverUrl = serverUrl;
        this.name = name;
        this.control = DriverManager.getConnection(url(""));
    }

    /** {@code jdbc:mysql://host:port/} + database + the query string of the server URL. */
    String url(String database) {
        int q = serverUrl.indexOf('?');
        String base = q < 0 ? serverUrl : serverUrl.substring(0, q);
        String query = q < 0 ? "" : serverUrl.substring(q);
        if (!base.endsWith("/")) base += "/";
        return base + database + query;
    }

    String serverVersion() throws SQLException {
        return control.getMetaData().getDatabaseProductVersion();
    }

    /** Drops and creates the benchmark database: the next workload starts from nothing. */
    void recreate() throws SQLException {
        try (Statement s = control.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            s.execute("CREATE DATABASE `" + name + "`");
        }
    }

    /** A pool on the benchmark database whose statements and commits are counted by {@code counter}. */
    Pool pool(int size, SqlCounter counter) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(name));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("bench-" + name);
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
            try (Statement s = control.createStatement()) {
                s.execute("ANALYZE TABLE `" + name + "`.`" + table + "`"); // refreshes data_length and index_length
            }
            try (PreparedStatement ps = control.prepareStatement("SELECT data_length + index_length FROM information_schema.tables "
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

    private boolean tableExists(String table) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, name);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The server-wide statement counters (they include every other client of the server). */
    Map<String, Long> globalStatus() throws SQLException {
        Map<String, Long> values = new LinkedHashMap<>();
        try (Statement s = control.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS")) {
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

    /** A single number from the benchmark database (uncounted). */
    long queryLong(String sql) throws SQLException {
        try (Statement s = control.createStatement(); ResultSet rs = s.executeQuery(sql.replace("${db}", "`" + name + "`"))) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The control connection, for reading results (uncounted); statements should name {@code `db`.table}. */
    Connection control() {
        return control;
    }

    @Override
    public void close() throws SQLException {
        control.close();
    }

    static Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }
}

package io.durableops.bench;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.internal.store.SqlValues;
import io.durableops.core.testing.ManualDispatcher;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The history run's seeded past: {@link #OPERATIONS} finished operations of {@link #STEPS} attempts each, in the shape
 * the engine leaves them (statuses, timestamps, keys, encrypted globals, results and error messages), written with bulk
 * SQL (MariaDB's sequence engine, PostgreSQL's generate_series). Kept across runs: {@link #ensure} seeds only what is
 * missing. Ids are UUIDs whose first group is the operation's number, so the bulk insert appends to every index (random
 * ids made the seeding I/O-bound on a 128 MB buffer pool); the workloads' own operations still get random ids.
 */
final class HistorySeed {
    /** {@code -Dbench.historyOperations} overrides it, for a small run while developing. */
    static final int OPERATIONS = Integer.getInteger("bench.historyOperations", 1_000_000);
    static final int STEPS = 10;
    /** The seeded operations finished over 60 days, the last one a day before the seeding: inside the default retention. */
    static final Duration SPAN = Duration.ofDays(60);
    static final long MICROS_APART = SPAN.toNanos() / 1000 / 1_000_000;
    static final String PREFIX = "history-";
    private static final int BATCH = 50_000;

    private HistorySeed() {
    }

    /** What {@link #ensure} found or did: {@code seconds} it took to seed now, or minus what seeding took earlier. */
    record Seeded(long operations, long attempts, double seconds, Instant baseAt) {
    }

    /** The schema, migrated as the application would. */
    static void migrate(DataSource dataSource) {
        DurableOps.builder().dataSource(dataSource).encryptor(AesGcmEncryptor.of("k1", DurableWorkload.KEY))
                .dispatcher(new ManualDispatcher(Clock.systemUTC())).relayInterval(Duration.ZERO).build().close();
    }

    /** Seeds the history if it is not there, or the part of it a retention measurement deleted (the oldest operations). */
    static Seeded ensure(Database db, DataSource dataSource) throws SQLException {
        migrate(dataSource);
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_history_seed (base_at " + (db.kind == Database.Kind.POSTGRES ? "TIMESTAMP(6)" : "DATETIME(6)")
                        + " NOT NULL, operations INT NOT NULL, seconds DOUBLE PRECISION NOT NULL)");
            }
            Instant base = null;
            double seconds = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT base_at, seconds FROM bench_history_seed")) {
                if (rs.next()) {
                    base = SqlValues.instant(rs, 1);
                    seconds = rs.getDouble(2);
                }
            }
            long started = System.nanoTime();
            boolean first = base == null;
            long present = first ? 0 : count(c);
            if (first) {
                base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(SPAN).minus(Duration.ofDays(1));
                seed(db, c, base, 1, OPERATIONS);
            } else if (present < OPERATIONS) {
                // why both ends: retention deletes the oldest; a history seeded smaller (bench.historyOperations) lacks the newest
                long[] range = presentRange(c);
                seed(db, c, base, 1, (int) Math.min(OPERATIONS, range[0] - 1));
                seed(db, c, base, (int) Math.max(range[0], range[1] + 1), OPERATIONS);
            }
            long operations = count(c);
            if (operations != OPERATIONS) {
                throw new IllegalStateException("database " + db.name + " holds " + operations + " seeded operations, not " + OPERATIONS
                        + "; drop it to seed it again");
            }
            boolean seededNow = operations - present > 0;
            double now = (System.nanoTime() - started) / 1e9;
            if (seededNow) {
                try (PreparedStatement ps = c.prepareStatement(first ? "INSERT INTO bench_history_seed (base_at, operations, seconds) VALUES (?, ?, ?)"
                        : "UPDATE bench_history_seed SET base_at = ?, operations = ?, seconds = seconds + ?")) {
                    SqlValues.setInstant(ps, 1, base);
                    ps.setInt(2, OPERATIONS);
                    ps.setDouble(3, now);
                    ps.executeUpdate();
                }
                if (operations - present > OPERATIONS / 10) analyze(db, c);
            }
            return new Seeded(operations, (long) operations * STEPS, seededNow ? now : -seconds, base);
        }
    }

    static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM durable_operations WHERE definition LIKE '"
                + PREFIX + "%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The numbers of the oldest and newest seeded operation still there (their ids' first group); {N + 1, 0} if none. */
    private static long[] presentRange(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(id), MAX(id) FROM durable_operations WHERE definition LIKE '"
                + PREFIX + "%'")) {
            rs.next();
            String low = rs.getString(1);
            String high = rs.getString(2);
            return low == null ? new long[]{OPERATIONS + 1L, 0} : new long[]{Long.parseLong(low.substring(0, 8), 16), Long.parseLong(high.substring(0, 8), 16)};
        }
    }

    /** Seeds operations {@code from} to {@code to} (numbers), a batch of {@link #BATCH} per transaction. */
    static void seed(Database db, Connection c, Instant base, int from, int to) throws SQLException {
        if (to < from) return;
        AesGcmEncryptor encryptor = AesGcmEncryptor.of("k1", DurableWorkload.KEY);
        byte[] globals = encryptor.encrypt("{\"customer\":\"c-1234\",\"amount\":4200,\"items\":3}".getBytes(StandardCharsets.UTF_8));
        byte[] results = encryptor.encrypt("{\"receipt\":\"r-1234\",\"total\":4200}".getBytes(StandardCharsets.UTF_8));
        byte[] message = encryptor.encrypt("the payment provider answered 503 Service Unavailable".getBytes(StandardCharsets.UTF_8));
        byte[] stack = encryptor.encrypt(("java.lang.IllegalStateException: the payment provider answered 503\n"
                + "\tat com.example.Payments.charge(Payments.java:42)\n".repeat(20)).getBytes(StandardCharsets.UTF_8));
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int a = from; a <= to; a += BATCH) {
                int b = Math.min(to, a + BATCH - 1);
                HistorySql sql = new HistorySql(db.kind, a, b);
                run(c, sql.operations(), base, List.of(globals, results));
                run(c, sql.attempts(), base, List.of());
                run(c, sql.errors(), base, List.of(message, stack));
                run(c, sql.searchAttributes(), base, List.of());
                run(c, sql.audit(), base, List.of());
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void run(Connection c, String sql, Instant base, List<byte[]> bytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            SqlValues.setInstant(ps, 1, base);
            for (int i = 0; i < bytes.size(); i++) ps.setBytes(2 + i, bytes.get(i));
            ps.executeUpdate();
        }
    }

    /** Fresh statistics for the planner after the bulk insert. */
    private static void analyze(Database db, Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String table : List.of("durable_operations", "durable_attempts", "durable_attempt_errors", "durable_search_attributes", "durable_audit")) {
                s.execute((db.kind == Database.Kind.POSTGRES ? "ANALYZE " : "ANALYZE TABLE ") + table);
            }
        }
    }

    /**
     * Deletes what the benchmark's workloads left in a kept database: their operations (the seeded ones keep their
     * {@link #PREFIX}), nodes, limit places, staged work and JobRunr's tables.
     */
    static void clearWorkloads(Database db) throws SQLException {
        Connection c = db.control();
        List<String> views = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        String listing = db.kind == Database.Kind.POSTGRES
                ? "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'jobrunr%'"
                : "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = '" + db.name + "' AND table_name LIKE 'jobrunr%'";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(listing)) {
            while (rs.next()) (rs.getString(2).contains("VIEW") ? views : tables).add(rs.getString(1));
        }
        try (Statement s = c.createStatement()) {
            for (String view : views) s.execute(db.qualify("DROP VIEW IF EXISTS ${db}." + view));
            for (String table : tables) s.execute(db.qualify("DROP TABLE IF EXISTS ${db}." + table + (db.kind == Database.Kind.POSTGRES ? " CASCADE" : "")));
            if (!db.tableExists("durable_operations")) return;
            s.execute(db.qualify("DELETE FROM ${db}.durable_operations WHERE definition IN ('" + BenchDefinitions.CHAIN + "', '"
                    + BenchDefinitions.PROBE + "')"));
            for (String table : List.of("durable_nodes", "durable_permits", "durable_staged_work")) {
                if (db.tableExists(table)) s.execute(db.qualify("DELETE FROM ${db}." + table));
            }
        }
    }
}

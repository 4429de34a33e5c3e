package io.durableops.bench;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.internal.store.FlowStore;
import io.durableops.core.internal.store.RelayStore;
import io.durableops.core.testing.ManualDispatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.durableops.bench.BenchMain.progress;

/**
 * {@code bench/run --explain}: the plan of every statement a worker or the relay runs, on the seeded history
 * ({@link HistorySeed}). The statements are not listed by hand: they are captured ({@link SqlCapture}) with their
 * parameters while the workloads run on the history (the fast path, one job per step, under a global limit, delayed
 * steps) and the relay passes, plus the relay's lease renewal and a wait's wake-up and park called directly; each is
 * then explained with those parameters (on MariaDB under the row limit the driver set). A plan that reads a whole table
 * that grows with the history is marked FULL SCAN. Prints them and writes bench/target/explain-{mariadb,postgresql}.md.
 */
final class Explain {
    /**
     * The tables that grow with the history. A scan of the others reads a handful of rows: nodes, limit places and
     * schedules are few, and staged work is deleted as the relay hands it over (PostgreSQL scans it while it is empty).
     */
    static final Set<String> GROWING = Set.of("durable_operations", "durable_attempts", "durable_attempt_errors", "durable_search_attributes",
            "durable_audit", "durable_signals");

    private Explain() {
    }

    static void run(BenchConfig base, List<Database.Kind> kinds, long started) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "bench/target"));
        for (Database.Kind kind : kinds) {
            BenchConfig config = base.on(kind).withDatabase(base.on(kind).serverUrl(), HistoryRun.HISTORY_DB);
            SqlCounter counter = new SqlCounter();
            try (Database db = new Database(config.serverUrl(), HistoryRun.HISTORY_DB)) {
                db.createIfMissing();
                try (Database.Pool pool = db.pool(4, counter)) {
                    progress(started, kind.label + ": the history (seeded now if missing)");
                    HistorySeed.ensure(db, pool.hikari());
                }
                db.keepHistory();
                SqlCapture capture = new SqlCapture();
                CountingDataSource.capture = capture;
                try {
                    progress(started, kind.label + ": the workloads on the history, their statements captured");
                    DurableWorkload.run("explain", config, db, counter, true, DurableWorkload.Start.ONE_BATCH, null);
                    DurableWorkload.run("explain", config.withoutProbe(), db, counter, false, DurableWorkload.Start.ONE_BATCH, null);
                    DurableWorkload.run("explain", config.withoutProbe(), db, counter, true, DurableWorkload.Start.ONE_ENQUEUE_EACH, null, Report.LIMIT);
                    direct(db, counter);
                } finally {
                    CountingDataSource.capture = null;
                }
                List<String> lines = explainAll(db, capture.statements());
                db.recreate(); // the last workload's operations were kept for their statements' plans
                Path file = out.resolve("explain-" + (kind == Database.Kind.MARIADB ? "mariadb" : "postgresql") + ".md");
                Files.createDirectories(out);
                Files.write(file, lines);
                lines.forEach(System.out::println);
                progress(started, kind.label + ": plans written to " + file);
            }
        }
    }

    /** Relay passes with retention on, lease renewal, and a wait's wake-up and park, on ids that match no row. */
    private static void direct(Database db, SqlCounter counter) throws SQLException {
        try (Database.Pool pool = db.pool(4, counter);
             DurableOps ops = DurableOps.builder().name("bench-explain").dataSource(pool.counted()).encryptor(AesGcmEncryptor.of("k1", DurableWorkload.KEY))
                     .dispatcher(new ManualDispatcher(Clock.systemUTC())).relayInterval(Duration.ZERO).retention(Duration.ofDays(30)).build()) {
            for (int i = 0; i < 3; i++) ops.relayNow();
            try (Connection c = pool.counted().getConnection()) {
                c.setAutoCommit(false);
                Instant now = Instant.now();
                RelayStore.renewLeases(c, Map.of(UUID.randomUUID(), 1), now.plusSeconds(60));
                FlowStore flow = new FlowStore();
                flow.wake(c, UUID.randomUUID(), now);
                flow.park(c, UUID.randomUUID(), 1, now.plusSeconds(60), true, now);
                flow.firstUnconsumed(c, UUID.randomUUID(), "approval");
                c.rollback();
            }
        }
    }

    private static List<String> explainAll(Database db, List<SqlCapture.Seen> statements) throws SQLException {
        List<String> lines = new ArrayList<>();
        int scans = 0;
        int explained = 0;
        lines.add("Plans on " + db.kind.label + " " + db.serverVersion() + " with " + HistorySeed.OPERATIONS + " finished operations ("
                + (long) HistorySeed.OPERATIONS * HistorySeed.STEPS + " attempts) in the tables:");
        lines.add("");
        try (Connection c = Database.open(db.url(db.name))) {
            for (SqlCapture.Seen s : statements) {
                String sql = s.sql().replaceAll("\\s+", " ").trim();
                String verb = sql.substring(0, sql.indexOf(' ')).toUpperCase(Locale.ROOT);
                if (verb.equals("INSERT") && !sql.toUpperCase(Locale.ROOT).contains(" SELECT ")) continue; // a row by its values: no plan to choose
                List<String> plan = plan(db, c, s);
                boolean scan = plan.stream().anyMatch(line -> fullScan(db.kind, line));
                if (scan) scans++;
                explained++;
                lines.add("- " + (scan ? "**FULL SCAN** " : "") + "`" + s.caller() + "`" + (s.maxRows() > 0 ? " (at most " + s.maxRows() + " rows)" : ""));
                lines.add("  `" + sql + "`");
                lines.add("  ```");
                plan.forEach(p -> lines.add("  " + p));
                if (plan.stream().anyMatch(p -> p.contains("Impossible WHERE noticed after reading const tables"))) {
                    lines.add("  (MariaDB read the rows named by primary or unique key first, one row each, and found them no longer matching)");
                }
                lines.add("  ```");
            }
        }
        lines.add("");
        lines.add(explained + " statements explained; " + scans + " read a whole table that grows with the history.");
        return lines;
    }

    /** The plan's lines: on MariaDB one per table (type, key, rows, Extra), on PostgreSQL its text. */
    private static List<String> plan(Database db, Connection c, SqlCapture.Seen s) throws SQLException {
        List<String> lines = new ArrayList<>();
        boolean limited = db.kind == Database.Kind.MARIADB && s.maxRows() > 0;
        if (limited) execute(c, "SET SQL_SELECT_LIMIT = " + s.maxRows()); // what Connector/J's setMaxRows does
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + s.sql())) {
            s.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    if (db.kind == Database.Kind.POSTGRES) {
                        lines.add(rs.getString(1));
                        continue;
                    }
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String name = md.getColumnLabel(i);
                        if (List.of("table", "type", "key", "rows", "Extra").contains(name)) {
                            row.append(name).append('=').append(rs.getString(i)).append("  ");
                        }
                    }
                    lines.add(row.toString().trim());
                }
            }
        } catch (SQLException e) {
            lines.add("(not explained: " + e.getMessage() + ")");
        } finally {
            if (limited) execute(c, "SET SQL_SELECT_LIMIT = DEFAULT");
        }
        return lines;
    }

    /**
     * A whole read of a growing table: PostgreSQL's Seq Scan on one; MariaDB's type ALL or a full index scan (type
     * index) on any table but the small ones (its plan names a table by its alias, so the small ones are told apart).
     */
    static boolean fullScan(Database.Kind kind, String planLine) {
        if (kind == Database.Kind.POSTGRES) return GROWING.stream().anyMatch(table -> planLine.contains("Seq Scan on " + table + " "));
        boolean whole = planLine.contains("type=ALL ") || planLine.contains("type=index ");
        return whole && SMALL.stream().noneMatch(table -> planLine.contains("table=" + table + " "));
    }

    private static final Set<String> SMALL = Set.of("durable_nodes", "durable_permits", "durable_schedules", "durable_staged_work");

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}

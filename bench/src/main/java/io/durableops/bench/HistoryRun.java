package io.durableops.bench;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.internal.store.FlowStore;
import io.durableops.core.testing.ManualDispatcher;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.durableops.bench.BenchMain.progress;
import static io.durableops.bench.BenchMain.report;

/**
 * Issue 19's "cost flat as history grows" ({@code bench/run --history}): on each database, the same workloads on an
 * empty database ({@code bench_hist_empty}) and on one holding {@link HistorySeed#OPERATIONS} finished operations
 * ({@code bench_hist}, seeded once and kept), interleaved round by round: the fast path's and one-job-per-step's
 * steps/s and transition p50, the relay's pass time, the admin list's first and a filtered page through
 * {@code OperationAdmin.list}, and retention's delete rate on the history.
 */
final class HistoryRun {
    /** {@code -Dbench.historyDb} names another (with {@code -Dbench.historyOperations}, a small history while developing). */
    static final String HISTORY_DB = System.getProperty("bench.historyDb", "bench_hist");
    static final String EMPTY_DB = HISTORY_DB + "_empty";
    private static final int RELAY_PASSES = 30;
    private static final int PAGE_READS = 40;

    private HistoryRun() {
    }

    /** What one database measured; the workloads' lists hold every round's run, empty and history alike. */
    record Outcome(Database.Kind kind, String environment, HistorySeed.Seeded seeded, List<Result> emptyFast, List<Result> historyFast,
                   List<Result> emptyDurable, List<Result> historyDurable, Stats emptyRelay, Stats historyRelay, Stats firstPage,
                   Stats filteredPage, Stats emptyFirstPage, int retentionDeleted, double retentionSeconds, double reseedSeconds) {
    }

    static void run(BenchConfig config, List<Database.Kind> kinds, long started) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (Database.Kind kind : kinds) outcomes.add(runOn(config, kind, started));
        progress(started, "done");
        for (Outcome o : outcomes) HistoryReport.print(config, o, System.out);
    }

    private static Outcome runOn(BenchConfig base, Database.Kind kind, long started) throws Exception {
        BenchConfig onServer = base.on(kind);
        BenchConfig config = onServer.withDatabase(onServer.serverUrl(), EMPTY_DB);
        SqlCounter counter = new SqlCounter();
        try (Database empty = new Database(config.serverUrl(), EMPTY_DB); Database history = new Database(config.serverUrl(), HISTORY_DB)) {
            String environment = BenchMain.environment(empty) + "; load average at start " + BenchMain.loadAverage();
            Meter.locateServer(empty);
            history.createIfMissing();
            progress(started, kind.label + ": the history in `" + HISTORY_DB + "`: " + HistorySeed.OPERATIONS + " finished operations x "
                    + HistorySeed.STEPS + " attempts (seeded now if missing, which takes minutes)");
            HistorySeed.Seeded seeded;
            try (Database.Pool pool = history.pool(2, counter)) {
                seeded = HistorySeed.ensure(history, pool.hikari());
            }
            progress(started, seeded.seconds() >= 0 ? String.format(java.util.Locale.ROOT, "    seeded in %.0f s", seeded.seconds())
                    : String.format(java.util.Locale.ROOT, "    already there (its seeding took %.0f s)", -seeded.seconds()));
            history.keepHistory();

            int warmUps = config.quick() ? 0 : 2;
            for (int round = 1; round <= warmUps; round++) {
                progress(started, kind.label + ": warm-up " + round + "/" + warmUps + ", not measured");
                for (boolean fast : new boolean[]{true, false}) {
                    DurableWorkload.run("warm-up", config.warmUp(), empty, counter, fast, DurableWorkload.Start.ONE_BATCH, null);
                    DurableWorkload.run("warm-up", config.warmUp(), history, counter, fast, DurableWorkload.Start.ONE_BATCH, null);
                }
            }
            List<Result> emptyFast = new ArrayList<>();
            List<Result> historyFast = new ArrayList<>();
            List<Result> emptyDurable = new ArrayList<>();
            List<Result> historyDurable = new ArrayList<>();
            BenchConfig c = config.withoutProbe();
            for (int round = 1; round <= config.repeats(); round++) {
                String of = " (run " + round + "/" + config.repeats() + ")";
                progress(started, kind.label + ": fast path, empty tables" + of);
                emptyFast.add(report(started, DurableWorkload.run("fast path, empty tables", c, empty, counter, true, DurableWorkload.Start.ONE_BATCH, null)));
                progress(started, kind.label + ": fast path, with the history" + of);
                historyFast.add(report(started, DurableWorkload.run("fast path, with the history", c, history, counter, true, DurableWorkload.Start.ONE_BATCH, null)));
                progress(started, kind.label + ": one job per step, empty tables" + of);
                emptyDurable.add(report(started, DurableWorkload.run("one job per step, empty tables", c, empty, counter, false, DurableWorkload.Start.ONE_BATCH, null)));
                progress(started, kind.label + ": one job per step, with the history" + of);
                historyDurable.add(report(started, DurableWorkload.run("one job per step, with the history", c, history, counter, false, DurableWorkload.Start.ONE_BATCH, null)));
            }

            progress(started, kind.label + ": relay passes and admin pages, empty tables and with the history");
            empty.recreate();
            history.recreate();
            Stats emptyRelay;
            Stats emptyFirstPage;
            try (Database.Pool pool = empty.pool(4, counter); DurableOps ops = runtime(pool)) {
                emptyRelay = timed(RELAY_PASSES, ops::relayNow);
                emptyFirstPage = timed(PAGE_READS, () -> ops.admin().list(OperationQuery.all()));
            }
            Stats historyRelay;
            Stats firstPage;
            Stats filteredPage;
            try (Database.Pool pool = history.pool(4, counter); DurableOps ops = runtime(pool)) {
                historyRelay = timed(RELAY_PASSES, ops::relayNow);
                firstPage = timed(PAGE_READS, () -> ops.admin().list(OperationQuery.all()));
                OperationQuery failedInvoices = OperationQuery.builder().definition("history-invoice").statuses(OperationStatus.FAILED).build();
                filteredPage = timed(PAGE_READS, () -> ops.admin().list(failedInvoices));
            }

            int retain = config.quick() ? 1_000 : 10_000;
            progress(started, kind.label + ": retention deletes the oldest " + retain + " operations of the history (seeded again after)");
            int deleted;
            double retentionSeconds;
            try (Database.Pool pool = history.pool(4, counter); Connection conn = pool.hikari().getConnection()) {
                // operation n finished at base + n x MICROS_APART + 1 s: the cut-off takes numbers 1 to retain
                Instant cutoff = seeded.baseAt().plus(Duration.ofNanos(1000 * (retain * HistorySeed.MICROS_APART + 1_000_001)));
                FlowStore flow = new FlowStore();
                conn.setAutoCommit(false);
                long t0 = System.nanoTime();
                deleted = 0;
                for (int n; (n = flow.purgeFinished(conn, cutoff, 500)) > 0; ) {
                    conn.commit();
                    deleted += n;
                }
                conn.commit();
                retentionSeconds = (System.nanoTime() - t0) / 1e9;
                conn.setAutoCommit(true);
                long t1 = System.nanoTime();
                HistorySeed.ensure(history, pool.hikari());
                double reseed = (System.nanoTime() - t1) / 1e9;
                progress(started, String.format(java.util.Locale.ROOT, "    deleted %d in %.2f s; seeded again in %.1f s", deleted, retentionSeconds, reseed));
                environment += ", at end " + BenchMain.loadAverage();
                return new Outcome(kind, environment, seeded, emptyFast, historyFast, emptyDurable, historyDurable, emptyRelay, historyRelay,
                        firstPage, filteredPage, emptyFirstPage, deleted, retentionSeconds, reseed);
            }
        }
    }

    /** A runtime with no background relay and no job system: its relay passes and admin reads are called here. */
    private static DurableOps runtime(Database.Pool pool) {
        return DurableOps.builder().name("bench-history").dataSource(pool.counted()).encryptor(AesGcmEncryptor.of("k1", DurableWorkload.KEY))
                .dispatcher(new ManualDispatcher(Clock.systemUTC())).relayInterval(Duration.ZERO).build();
    }

    /** Milliseconds of each of {@code times} calls, after one unmeasured call. */
    private static Stats timed(int times, Supplier<?> call) {
        call.get();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long t = System.nanoTime();
            call.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        return Stats.of(ms);
    }
}

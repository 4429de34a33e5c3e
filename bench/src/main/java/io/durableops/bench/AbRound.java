package io.durableops.bench;

import java.util.Locale;

import static io.durableops.bench.BenchMain.progress;
import static io.durableops.bench.BenchMain.report;

/**
 * One round of {@code bench/run --ab} in this JVM, on MariaDB (or the database of {@code --db=}): unmeasured warm-up
 * runs, then one measured run each of workload 3 (one JobRunr job per step), workload 4 (the fast path) and 4c (the fast
 * path under the global limit of {@link Report#LIMIT}), printed as {@code AB key=value} lines that the script collects
 * for {@link AbCompare}. The script runs it alternately with the previous build's jars and this one's.
 */
final class AbRound {
    private AbRound() {
    }

    static void run(BenchConfig base, Database.Kind kind, long started) throws Exception {
        BenchConfig config = base.on(kind);
        SqlCounter counter = new SqlCounter();
        try (Database db = new Database(config.serverUrl(), config.database())) {
            Meter.locateServer(db);
            for (int round = 1; round <= 2; round++) {
                progress(started, "warm-up " + round + "/2, not measured");
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, false, DurableWorkload.Start.ONE_BATCH, null);
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, true, DurableWorkload.Start.ONE_BATCH, null);
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, true, DurableWorkload.Start.ONE_BATCH, null, Report.LIMIT);
            }
            BenchConfig c = config.withoutProbe();
            progress(started, "one job per step");
            Result durable = report(started, DurableWorkload.run("3 one job per step", c, db, counter, false, DurableWorkload.Start.ONE_BATCH, null));
            progress(started, "fast path");
            Result fast = report(started, DurableWorkload.run("4 fast path", c, db, counter, true, DurableWorkload.Start.ONE_BATCH, null));
            progress(started, "fast path, global limit of " + Report.LIMIT);
            Result limited = report(started, DurableWorkload.run("4c fast path, global limit " + Report.LIMIT, c, db, counter, true,
                    DurableWorkload.Start.ONE_BATCH, null, Report.LIMIT));
            db.recreate();
            System.out.printf(Locale.ROOT, "AB durable_steps_per_s=%.2f%n", durable.stepsPerSecond());
            System.out.printf(Locale.ROOT, "AB durable_transition_p50_ms=%.3f%n", durable.transition().p50());
            System.out.printf(Locale.ROOT, "AB fastpath_steps_per_s=%.2f%n", fast.stepsPerSecond());
            System.out.printf(Locale.ROOT, "AB fastpath_transition_p50_ms=%.3f%n", fast.transition().p50());
            System.out.printf(Locale.ROOT, "AB limited_steps_per_s=%.2f%n", limited.stepsPerSecond());
            System.out.printf(Locale.ROOT, "AB load=%s%n", BenchMain.loadAverage());
            System.out.println("AB db=" + kind.label);
            if (!durable.complete() || !fast.complete() || !limited.complete()) {
                System.out.println("AB incomplete=" + durable.note() + " " + fast.note() + " " + limited.note());
            }
        }
    }
}

package io.durableops.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.durableops.bench.BenchMain.loadAverage;
import static io.durableops.bench.BenchMain.progress;
import static io.durableops.bench.BenchMain.report;

/**
 * Issue 6's workloads on one database: the commit limit, raw JobRunr, Durable Ops with one JobRunr job per step and with
 * the fast path, and the heap with many operations in flight; returns the report, printed by {@link BenchMain}.
 */
final class FullRun {
    private FullRun() {
    }

    static Report run(BenchConfig config, Database db, Path out, long started) throws Exception {
        SqlCounter counter = new SqlCounter();
        String environment = BenchMain.environment(db);
        String loadAtStart = loadAverage();
        Meter.locateServer(db);
        progress(started, "database `" + db.name + "` on " + db.url(""));

        if (!config.quick()) {
            for (int round = 1; round <= BenchConfig.WARM_UP_ROUNDS; round++) {
                progress(started, "warm-up " + round + "/" + BenchConfig.WARM_UP_ROUNDS + ", not measured: raw JobRunr, and Durable Ops "
                        + "with one job per step and with the fast path (also under the global limit), " + config.warmUp().chains() + " chains each");
                RawJobRunr.run(config.warmUp(), db, counter);
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, false, DurableWorkload.Start.ONE_BATCH, null);
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, true, DurableWorkload.Start.ONE_BATCH, null);
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, true, DurableWorkload.Start.ONE_ENQUEUE_EACH, null);
                // why the limited run too: its first run was otherwise its code's first, not JIT-compiled yet (0.68x)
                DurableWorkload.run("warm-up", config.warmUp(), db, counter, true, DurableWorkload.Start.ONE_BATCH, null, Report.LIMIT);
            }
        }

        progress(started, "1/5 commit limit, 1 thread, " + config.commitMillis() + " ms");
        double commit1 = CommitLimit.commitsPerSecond(db, 1, config.commitMillis());
        progress(started, "1/5 commit limit, 8 threads, " + config.commitMillis() + " ms");
        double commit8 = CommitLimit.commitsPerSecond(db, 8, config.commitMillis());
        progress(started, "1/5 the fast path's transaction alone (SQL floor), 8 threads, " + config.commitMillis() + " ms");
        SqlFloor.Outcome floor = SqlFloor.run(db, 8, config.commitMillis());
        progress(started, "1/5 the same with " + FastPathSetting.turns() + " threads, as many as the fast path's turns, " + config.commitMillis() + " ms");
        SqlFloor.Outcome floorAtTurns = SqlFloor.run(db, FastPathSetting.turns(), config.commitMillis());
        // why interleaved: the machine drifts within minutes, and each engine should meet the same drift
        List<Result> raws = new ArrayList<>();
        List<Result> durables = new ArrayList<>();
        List<Result> fasts = new ArrayList<>();
        List<Result> singlies = new ArrayList<>();
        List<Result> limiteds = new ArrayList<>();
        String fastName = FastPathSetting.IMPLEMENTED ? "4 Durable Ops, fast path " + FastPathSetting.setting().maxSteps() + " st/"
                + FastPathSetting.setting().maxTime().toMillis() + " ms" : "4 fast path (NOT IMPLEMENTED: 1 job/step)";
        for (int round = 1; round <= config.repeats(); round++) {
            BenchConfig c = round == 1 ? config : config.withoutProbe(); // the probe measures latency on an idle setup, once
            String of = config.repeats() == 1 ? "" : " (run " + round + "/" + config.repeats() + (round == 1 ? ", with the probe)" : ")");
            progress(started, "2/5 raw JobRunr" + of);
            raws.add(report(started, RawJobRunr.run(c, db, counter)));
            progress(started, "3/5 Durable Ops, one JobRunr job per step" + of);
            durables.add(report(started, DurableWorkload.run("3 Durable Ops, one job per step", c, db, counter, false,
                    DurableWorkload.Start.ONE_BATCH, null)));
            progress(started, "4/5 Durable Ops, fast path" + (FastPathSetting.IMPLEMENTED ? "" : " -- " + FastPathSetting.NOT_IMPLEMENTED) + of);
            fasts.add(report(started, DurableWorkload.run(fastName, c, db, counter, true, DurableWorkload.Start.ONE_BATCH, null)));
            progress(started, "4/5 Durable Ops, fast path, global limit of " + Report.LIMIT + " steps at once (no probe)" + of);
            limiteds.add(report(started, DurableWorkload.run("4c fast path, global limit " + Report.LIMIT, config.withoutProbe(), db, counter,
                    true, DurableWorkload.Start.ONE_BATCH, null, Report.LIMIT)));
            progress(started, "4/5 Durable Ops, fast path, the chains started with one enqueue each (no probe)" + of);
            singlies.add(report(started, DurableWorkload.run("4b fast path, one enqueue per chain", config.withoutProbe(), db, counter,
                    true, DurableWorkload.Start.ONE_ENQUEUE_EACH, null)));
        }

        Profiler profiler = null;
        Profiler fastProfiler = null;
        if (config.profile()) {
            // why a separate pass: JFR's start-up and sampling would otherwise be charged to a measured workload
            profiler = new Profiler(out.resolve(jfrPrefix(db) + "durable-one-job-per-step.jfr"));
            progress(started, "profile, not measured: workload 3 again under JFR");
            DurableWorkload.run("profile", config.withoutProbe(), db, counter, false, DurableWorkload.Start.ONE_BATCH, profiler);
            fastProfiler = new Profiler(out.resolve(jfrPrefix(db) + "durable-fast-path.jfr"));
            progress(started, "profile, not measured: workload 4 again under JFR");
            DurableWorkload.run("profile", config.withoutProbe(), db, counter, true, DurableWorkload.Start.ONE_BATCH, fastProfiler);
        }

        progress(started, "5/5 " + config.inFlight() + " operations in flight");
        InFlightCheck.Outcome inFlight = InFlightCheck.run(config, db, counter);
        db.recreate(); // leave no 10,000 scheduled operations behind

        if (profiler != null) {
            System.out.println();
            System.out.println("== profile of workload 3 (one JobRunr job per step) ==");
            profiler.summary(15).forEach(System.out::println);
            System.out.println();
            System.out.println("== profile of workload 4 (fast path) ==");
            fastProfiler.summary(15).forEach(System.out::println);
        }
        progress(started, "done");
        environment += "; load average at start " + loadAtStart + ", at end " + loadAverage();
        return new Report(config, db.kind, environment, commit1, commit8, floor, floorAtTurns, raws, durables, fasts, singlies, limiteds, inFlight);
    }

    /** MariaDB's profiles keep their documented names; PostgreSQL's are named apart. */
    private static String jfrPrefix(Database db) {
        return db.kind == Database.Kind.MARIADB ? "" : "postgres-";
    }
}

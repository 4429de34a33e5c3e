package io.durableops.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The readable table, the targets of issue 6 with PASS/MISS, and the machine-readable RESULT lines. */
final class Report {
    private final BenchConfig config;
    private final Database.Kind kind;
    private final String environment;
    private final double commit1;
    private final double commit8;
    private final SqlFloor.Outcome floor;
    /** The floor with as many threads as the fast path runs turns. */
    private final SqlFloor.Outcome floorAtTurns;
    /** Each workload's median run ({@link Result#median}), and every run of it, in order. */
    private final Result raw;
    private final Result durable;
    private final Result fast;
    /** The fast path with the chains started one enqueue at a time: shown, not held against a target. */
    private final Result fastSingly;
    private final List<Result> raws;
    private final List<Result> durables;
    private final List<Result> fasts;
    private final List<Result> singlies;
    /** The fast path with a global concurrency limit of {@link #LIMIT} on its steps: what a limit costs. */
    private final List<Result> limiteds;
    private final Result limited;
    /** The global concurrency limit of workload 4c (issue 20: it may cost at most 30%). */
    static final int LIMIT = 8;
    private final InFlightCheck.Outcome inFlight;

    Report(BenchConfig config, Database.Kind kind, String environment, double commit1, double commit8, SqlFloor.Outcome floor,
           SqlFloor.Outcome floorAtTurns, List<Result> raws, List<Result> durables, List<Result> fasts, List<Result> singlies,
           List<Result> limiteds, InFlightCheck.Outcome inFlight) {
        this.config = config;
        this.kind = kind;
        this.environment = environment;
        this.commit1 = commit1;
        this.commit8 = commit8;
        this.floor = floor;
        this.floorAtTurns = floorAtTurns;
        this.raws = raws;
        this.durables = durables;
        this.fasts = fasts;
        this.singlies = singlies;
        this.raw = Result.median(raws);
        this.durable = Result.median(durables);
        this.fast = Result.median(fasts);
        this.fastSingly = Result.median(singlies);
        this.limiteds = limiteds;
        this.limited = Result.median(limiteds);
        this.inFlight = inFlight;
    }

    void print(PrintStream out) {
        out.println();
        out.println("== Durable Ops benchmark on " + kind.label + " (" + (config.quick() ? "--quick: small run, targets not checked" : "full run") + ") ==");
        out.println(environment);
        out.printf(Locale.ROOT, "workload: %d chains x %d no-op steps (Durable Ops: %d actions + result = %d steps per operation), "
                        + "%d JobRunr workers, %d s poll interval; probe: %d operations enqueued %d ms apart, delayed step %d-%d ms%n",
                config.chains(), config.stepsPerChain(), config.stepsPerChain(), config.stepsPerChain() + 1, config.workers(),
                config.pollInterval().toSeconds(), config.probes(), config.probeSpacingMillis(), config.minDelayMillis(), config.maxDelayMillis());
        if (!FastPathSetting.IMPLEMENTED) {
            out.println();
            out.println("!!! " + FastPathSetting.NOT_IMPLEMENTED.toUpperCase(Locale.ROOT) + " !!!");
            out.println("!!! workload 4 and every RESULT fastpath_* line below are one-job-per-step numbers, not the fast path's !!!");
        }
        if (raws.size() > 1) {
            out.printf(Locale.ROOT, "workloads 2 to 4b ran %d times each, interleaved; each row is its median run (steps/s), with the probe "
                    + "of its first run; every run's steps/s is in the details%n", raws.size());
        }
        out.println();
        String header = String.format(Locale.ROOT, "%-40s %6s %9s %17s %17s %17s %8s %9s %9s %8s %8s %8s %8s",
                "workload", "steps", "steps/s", "transition ms", "enq->1st step ms", "delay lateness ms", "heap MB",
                "DO B/st", "JR B/st", "CPU ms/st", "DB ms/st", "SQL/st", "commit/st");
        out.println(header);
        out.printf(Locale.ROOT, "%-40s %6s %9.0f  commits/s (one-row INSERT + COMMIT per transaction)%n", "1 commit limit, 1 thread", "", commit1);
        out.printf(Locale.ROOT, "%-40s %6s %9.0f  commits/s%n", "1 commit limit, 8 threads", "", commit8);
        if (Double.isNaN(floor.transitionsPerSecond())) {
            out.printf(Locale.ROOT, "%-40s %6s %9s  not measured: %s records no fast-path step alone in one statement%n",
                    "1 SQL floor of a fast-path step", "", "-", kind.label);
        } else {
            out.printf(Locale.ROOT, "%-40s %6s %9.0f  transitions/s = %.0f%% of the commit limit (the fast path's transaction alone, "
                            + "8 threads; CPU %.2f + DB %.2f ms each)%n", "1 SQL floor of a fast-path step", "", floor.transitionsPerSecond(),
                    100 * ratio(floor.transitionsPerSecond(), commit8), floor.jvmMillisPerTransition(), floor.dbMillisPerTransition());
            out.printf(Locale.ROOT, "%-40s %6s %9.0f  transitions/s with %d threads, as many as the fast path's turns (CPU %.2f + DB %.2f ms each)%n",
                    "1 SQL floor at the fast path's turns", "", floorAtTurns.transitionsPerSecond(), FastPathSetting.turns(),
                    floorAtTurns.jvmMillisPerTransition(), floorAtTurns.dbMillisPerTransition());
        }
        for (Result r : List.of(raw, durable, fast, limited, fastSingly)) {
            out.printf(Locale.ROOT, "%-40s %6d %9.1f %17s %17s %17s %8.0f %9s %9s %8.2f %8s %8.1f %8.1f%n",
                    r.name(), r.steps(), r.stepsPerSecond(), pair(r.transition()), pair(r.enqueueToFirstStep()), pair(r.delayedLateness()),
                    r.heapPeakMb(), bytes(r.durableOpsBytesPerStep()), bytes(r.jobRunrBytesPerStep()), r.cpuMillisPerStep(),
                    Double.isNaN(r.dbCpuMillisPerStep()) ? "-" : String.format(Locale.ROOT, "%.2f", r.dbCpuMillisPerStep()),
                    r.statementsPerStep(), r.commitsPerStep());
        }
        out.printf(Locale.ROOT, "in flight: %d operations enqueued (first step in 10 min) in %.1f s (%.0f/s) from 8 threads; heap peak %.0f MB "
                        + "while enqueueing, live heap after full GC %.0f MB; Durable Ops tables %.0f B per operation%n",
                inFlight.inFlight(), inFlight.enqueueSeconds(), inFlight.enqueuesPerSecond(), inFlight.heapPeakMb(), inFlight.liveHeapMb(),
                (double) inFlight.durableOpsBytes() / Math.max(1, inFlight.inFlight()));
        out.println();
        out.println("columns: transition = next step's start - previous step's end; enq->1st step = from the enqueue call on an application");
        out.println("  thread to the first step's start; delay lateness = start - due time of a step delayed 1-3 s (both from the probe, p50/p99);");
        out.println("  heap MB = peak used heap sampled every 10 ms; DO/JR B/st = InnoDB data+index bytes of Durable Ops' / JobRunr's job table");
        out.println("  per completed step; CPU = this JVM's CPU time; DB ms = mariadbd's CPU time (server-wide; a dash where not read); SQL = statements and commit =");
        out.println("  commits (explicit, or a write in auto-commit) per step, counted on the client (JobRunr's own polling included).");
        out.println();
        out.println("details:");
        for (Result r : List.of(raw, durable, fast, limited, fastSingly)) {
            SqlCounter.Snapshot sql = r.usage().sql();
            out.printf(Locale.ROOT, "  %-38s window %.2f s; per step: SELECT %.1f INSERT %.1f UPDATE %.1f DELETE %.1f other %.1f "
                            + "COMMIT %.1f SET autocommit/ROLLBACK %.1f = %.1f round trips; server-wide Com_* %.1f/step; GC %d ms; "
                            + "burst enq->1st %s ms; transition max %s ms; %s%s%n",
                    r.name(), r.windowSeconds(), per(sql.of(SqlCounter.Kind.SELECT), r), per(sql.of(SqlCounter.Kind.INSERT), r),
                    per(sql.of(SqlCounter.Kind.UPDATE), r), per(sql.of(SqlCounter.Kind.DELETE), r), per(sql.of(SqlCounter.Kind.OTHER), r),
                    per(sql.commits(), r), per(sql.of(SqlCounter.Kind.SET), r), per(sql.roundTrips(), r),
                    r.serverStatementsPerStep(), r.usage().gcMillis(), pair(r.burstEnqueueToFirstStep()), fmt(r.transition().max()),
                    early(r.delayedLateness()), r.note().isEmpty() ? "" : "  " + r.note());
        }
        if (raws.size() > 1) {
            out.println("  steps/s of every run, in order:");
            for (List<Result> runs : List.of(raws, durables, fasts, limiteds, singlies)) {
                out.printf(Locale.ROOT, "    %-38s %s%n", runs.get(0).name(), String.join(", ", runs.stream()
                        .map(r -> String.format(Locale.ROOT, "%.0f", r.stepsPerSecond())).toList()));
            }
            out.printf(Locale.ROOT, "    %-38s %s%n", "fast path / raw JobRunr, run by run", paired(fasts, raws));
            out.printf(Locale.ROOT, "    %-38s %s%n", "one job per step / raw JobRunr", paired(durables, raws));
            out.printf(Locale.ROOT, "    %-38s %s%n", "global limit " + LIMIT + " / fast path", paired(limiteds, fasts));
        }
        out.printf(Locale.ROOT, "cost of a global limit of %d steps at once on the fast path: %.1f%% of its steps/s (issue 20: at most 30%%)%n",
                LIMIT, limitCost());
        if (!config.quick()) printTargets(out);
        out.println();
        printResults(out);
    }

    private void printTargets(PrintStream out) {
        String offNote = FastPathSetting.IMPLEMENTED ? "" : "  (fast path OFF: one job per step)";
        out.println();
        out.println("targets (issue 6):");
        target(out, "fast path >= 5x raw JobRunr steps/s", ratio(fast.stepsPerSecond(), raw.stepsPerSecond()), ">=", 5, "x", offNote);
        out.printf(Locale.ROOT, "  (4b, the fast path with one enqueue per chain, on the main thread during the run: %.2fx raw JobRunr, %.1f%% of the commit limit)%n",
                ratio(fastSingly.stepsPerSecond(), raw.stepsPerSecond()), 100 * ratio(fastSingly.stepsPerSecond(), commit8));
        target(out, "fast path >= 35% of the 8-thread commit limit", 100 * ratio(fast.stepsPerSecond(), commit8), ">=", 35, "%",
                offNote + (Double.isNaN(floor.transitionsPerSecond()) ? " (no SQL floor on this database: see row 1)"
                        : String.format(Locale.ROOT, " (the SQL floor: %.0f%%; the fast path reaches %.0f%% of its floor, %.0f%% of its floor at %d threads)",
                        100 * ratio(floor.transitionsPerSecond(), commit8), 100 * ratio(fast.stepsPerSecond(), floor.transitionsPerSecond()),
                        100 * ratio(fast.stepsPerSecond(), floorAtTurns.transitionsPerSecond()), FastPathSetting.turns())));
        target(out, "a global limit of " + LIMIT + " costs the fast path <= 30%", limitCost(), "<=", 30, "%", "");
        target(out, "one job per step >= 0.7x raw JobRunr steps/s", ratio(durable.stepsPerSecond(), raw.stepsPerSecond()), ">=", 0.7, "x", "");
        target(out, "fast path step transition p50 <= 1 ms", fast.transition().p50(), "<=", 1, " ms", offNote);
        target(out, "enqueue-to-first-step p50 <= 50 ms", fast.enqueueToFirstStep().p50(), "<=", 50, " ms", "");
        target(out, "delayed-step lateness p99 <= 250 ms", fast.delayedLateness().p99(), "<=", 250, " ms", "");
        target(out, "peak heap <= 256 MB with " + inFlight.inFlight() + " operations in flight", inFlight.heapPeakMb(), "<=", 256, " MB", "");
    }

    private static void target(PrintStream out, String what, double value, String op, double bound, String unit, String note) {
        boolean pass = !Double.isNaN(value) && (op.equals(">=") ? value >= bound : value <= bound);
        out.printf(Locale.ROOT, "  %-4s %-58s measured %.2f%s%s%n", pass ? "PASS" : "MISS", what, value, unit, note);
    }

    private void printResults(PrintStream out) {
        List<String> lines = new ArrayList<>();
        lines.add("commit_limit_8t=" + number(commit8));
        lines.add("jobrunr_steps_per_s=" + number(raw.stepsPerSecond()));
        lines.add("durable_steps_per_s=" + number(durable.stepsPerSecond()));
        lines.add("fastpath_steps_per_s=" + number(fast.stepsPerSecond()));
        lines.add("fastpath_limit" + LIMIT + "_steps_per_s=" + number(limited.stepsPerSecond()));
        lines.add("limit" + LIMIT + "_cost_pct=" + number(limitCost()));
        lines.add("fastpath_transition_p50_ms=" + number(fast.transition().p50()));
        lines.add("enqueue_first_step_p50_ms=" + number(fast.enqueueToFirstStep().p50()));
        lines.add("delayed_lateness_p99_ms=" + number(fast.delayedLateness().p99()));
        lines.add("heap_peak_mb=" + number(inFlight.heapPeakMb()));
        // why a prefix for PostgreSQL only: MariaDB's lines keep the names earlier runs and docs use
        String prefix = kind == Database.Kind.MARIADB ? "" : "postgres_";
        lines.forEach(line -> out.println("RESULT " + prefix + line));
    }

    /** How much slower the fast path runs with the global limit, in percent of its steps/s without (negative: faster). */
    private double limitCost() {
        return 100 * (1 - ratio(limited.stepsPerSecond(), fast.stepsPerSecond()));
    }

    /** Numbers only; -1 when the value could not be measured (the table says why). */
    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-1" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    /** {@code a}'s steps/s over {@code b}'s, run by run (the runs of one round ran one after the other). */
    private static String paired(List<Result> a, List<Result> b) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(String.format(Locale.ROOT, "%.2fx", ratio(a.get(i).stepsPerSecond(), b.get(i).stepsPerSecond())));
        }
        return String.join(", ", ratios);
    }

    private static double per(long n, Result r) {
        return (double) n / r.steps();
    }

    private static String pair(Stats s) {
        if (s.count() == 0) return "-";
        return String.format(Locale.ROOT, "%s / %s", fmt(s.p50()), fmt(s.p99()));
    }

    private static String fmt(double ms) {
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : ms < 100 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.0f", ms);
    }

    private static String early(Stats lateness) {
        if (lateness.count() == 0) return "no delayed step ran";
        return lateness.negative() == 0 ? "no delayed step ran early"
                : String.format(Locale.ROOT, "%d of %d delayed steps ran EARLY (by up to %s ms)", lateness.negative(), lateness.count(), fmt(-lateness.min()));
    }

    private static String bytes(double b) {
        return Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.0f", b);
    }
}

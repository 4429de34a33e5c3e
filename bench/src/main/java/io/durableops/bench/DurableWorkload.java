package io.durableops.bench;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationId;
import io.durableops.jobrunr.JobRunrDispatcher;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Workloads 3 and 4: the same chains as raw JobRunr, as Durable Ops operations (no-op actions and a result)
 * dispatched by the JobRunr adapter to a server with the same settings, enqueued from an application thread: in one
 * {@code enqueueAll}, as raw JobRunr enqueues its chains in one batch, or (workload 4b) with one {@code enqueue} each.
 * Steps stamp their own begin and end ({@link StepTimes}); transition = begin of step n+1 minus end of step n, which
 * also covers the claim and load of step n+1 (the attempts table's started_at is stamped at the claim, before them).
 */
final class DurableWorkload {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final List<String> TABLES = List.of("durable_operations", "durable_attempts", "durable_attempt_errors",
            "durable_staged_work", "durable_audit");

    private DurableWorkload() {
    }

    /** How the application thread starts the chains. */
    enum Start {
        /** One {@code enqueueAll} of every chain, as raw JobRunr's one batch. */
        ONE_BATCH,
        /** One {@code enqueue} per chain, one after the other. */
        ONE_ENQUEUE_EACH
    }

    /** A Durable Ops runtime on a fresh database with a JobRunr server, as the application would set it up. */
    static final class Setup implements AutoCloseable {
        final Database.Pool pool;
        final JobRunrServer jobRunr;
        final DurableOps ops;
        final StepTimes chainTimes;
        final StepTimes probeTimes = new StepTimes(2);

        Setup(BenchConfig config, Database db, SqlCounter counter, boolean fastPath) throws SQLException {
            this(config, db, counter, fastPath, null);
        }

        /** {@code limit}: a global concurrency limit on the chain's steps, or null for none. */
        Setup(BenchConfig config, Database db, SqlCounter counter, boolean fastPath, Integer limit) throws SQLException {
            db.recreate();
            chainTimes = new StepTimes(config.stepsPerChain() + 1);
            pool = db.pool(24, counter);
            jobRunr = new JobRunrServer(pool.counted(), config.workers(), config.pollInterval());
            DurableOps.Builder builder = DurableOps.builder()
                    .name("bench")
                    .dataSource(pool.counted())
                    .encryptor(AesGcmEncryptor.of("k1", KEY))
                    .register(BenchDefinitions.chain(config.stepsPerChain(), chainTimes, limit), BenchDefinitions.probe(probeTimes))
                    .dispatcher(JobRunrDispatcher.using(jobRunr.storage, jobRunr.server));
            ops = (fastPath ? FastPathSetting.on(builder) : FastPathSetting.off(builder)).build();
        }

        @Override
        public void close() {
            ops.close();
            jobRunr.close();
            pool.close();
        }
    }

    static Result run(String name, BenchConfig config, Database db, SqlCounter counter, boolean fastPath, Start start, Profiler profiler) throws Exception {
        return run(name, config, db, counter, fastPath, start, profiler, null);
    }

    /** As above, with a global concurrency limit of {@code limit} on the chain's steps (null: none). */
    static Result run(String name, BenchConfig config, Database db, SqlCounter counter, boolean fastPath, Start start, Profiler profiler,
                      Integer limit) throws Exception {
        try (Setup setup = new Setup(config, db, counter, fastPath, limit)) {
            int expectedSteps = config.chains() * (config.stepsPerChain() + 1);
            if (profiler != null) profiler.start();
            Meter meter = new Meter(db, counter).start();
            Map<UUID, Long> enqueuedAt = new HashMap<>();
            if (start == Start.ONE_BATCH) {
                List<Map<String, Object>> inputs = new ArrayList<>();
                for (int chain = 0; chain < config.chains(); chain++) inputs.add(Map.of("chain", chain));
                long at = Micros.now();
                for (OperationId id : setup.ops.scheduler().enqueueAll(BenchDefinitions.CHAIN, inputs)) enqueuedAt.put(id.value(), at);
            } else {
                for (int chain = 0; chain < config.chains(); chain++) {
                    long at = Micros.now();
                    OperationId id = setup.ops.scheduler().enqueue(BenchDefinitions.CHAIN, Map.of("chain", chain));
                    enqueuedAt.put(id.value(), at);
                }
            }
            awaitFinished(db, BenchDefinitions.CHAIN, config.chains(), config.workloadTimeout().toMillis());
            Meter.Usage usage = meter.stop();
            if (profiler != null) profiler.stop();

            // why by definition: a seeded history (HistorySeed) holds millions of other attempts
            long steps = db.queryLong("SELECT COUNT(*) FROM ${db}.durable_attempts a JOIN ${db}.durable_operations o ON o.id = a.operation_id "
                    + "WHERE o.definition = '" + BenchDefinitions.CHAIN + "' AND a.status = 'SUCCEEDED'");
            long notCompleted = db.queryLong("SELECT COUNT(*) FROM ${db}.durable_operations WHERE definition = '" + BenchDefinitions.CHAIN
                    + "' AND status <> 'COMPLETED'");
            StepTimes t = setup.chainTimes;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            List<Double> transitions = new ArrayList<>();
            List<Double> burst = new ArrayList<>();
            for (UUID op : enqueuedAt.keySet()) {
                for (int s = 0; s < t.steps(); s++) {
                    if (t.begin(op, s) != 0) first = Math.min(first, t.begin(op, s));
                    if (t.end(op, s) != 0) last = Math.max(last, t.end(op, s));
                    if (s + 1 < t.steps() && t.end(op, s) != 0 && t.begin(op, s + 1) != 0) {
                        transitions.add(Micros.millisBetween(t.end(op, s), t.begin(op, s + 1)));
                    }
                }
                if (t.begin(op, 0) != 0) burst.add(Micros.millisBetween(enqueuedAt.get(op), t.begin(op, 0)));
            }
            // sizes per step are not measured over a kept history: its rows would count
            long durableBytes = db.keepsHistory() ? 0 : db.tableBytes(TABLES).values().stream().mapToLong(Long::longValue).sum();
            long jobRunrBytes = db.tableBytes(List.of("jobrunr_jobs")).values().stream().mapToLong(Long::longValue).sum();

            Probe probe = probe(config, db, setup);
            String note = steps < expectedSteps ? "INCOMPLETE: " + steps + " of " + expectedSteps + " steps"
                    + (notCompleted > 0 ? ", " + notCompleted + " operations not completed" : "") : "";
            return new Result(name, steps, expectedSteps, last > first ? (last - first) / 1e6 : 0, Stats.of(transitions),
                    probe.enqueueToFirst, probe.lateness, Stats.of(burst), usage, durableBytes, jobRunrBytes, note);
        }
    }

    private record Probe(Stats enqueueToFirst, Stats lateness) {
    }

    /**
     * Operations enqueued one at a time from this (application) thread on an otherwise idle setup; the first step
     * asks for the second 1 to 3 s later. Measures how soon a step starts after enqueue, and how late a delayed one.
     */
    private static Probe probe(BenchConfig config, Database db, Setup setup) throws SQLException {
        Map<UUID, long[]> enqueued = new HashMap<>(); // {enqueue call, delay in ms}
        for (int i = 0; i < config.probes(); i++) {
            long delay = ThreadLocalRandom.current().nextLong(config.minDelayMillis(), config.maxDelayMillis() + 1);
            long at = Micros.now();
            OperationId id = setup.ops.scheduler().enqueue(BenchDefinitions.PROBE, Map.of("delayMs", delay));
            enqueued.put(id.value(), new long[]{at, delay});
            Micros.sleepMillis(config.probeSpacingMillis());
        }
        awaitFinished(db, BenchDefinitions.PROBE, config.probes(), config.maxDelayMillis() + 4 * config.pollInterval().toMillis());
        List<Double> toFirst = new ArrayList<>();
        List<Double> late = new ArrayList<>();
        StepTimes t = setup.probeTimes;
        enqueued.forEach((op, e) -> {
            if (t.begin(op, 0) != 0) toFirst.add(Micros.millisBetween(e[0], t.begin(op, 0)));
            if (t.end(op, 0) != 0 && t.begin(op, 1) != 0) late.add(Micros.millisBetween(t.end(op, 0) + e[1] * 1000, t.begin(op, 1)));
        });
        return new Probe(Stats.of(toFirst), Stats.of(late));
    }

    static void awaitFinished(Database db, String definition, int operations, long timeoutMillis) throws SQLException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String sql = "SELECT COUNT(*) FROM ${db}.durable_operations WHERE definition = '" + definition + "' AND status <> 'RUNNING'";
        while (db.queryLong(sql) < operations && System.nanoTime() < deadline) Micros.sleepMillis(20);
    }
}

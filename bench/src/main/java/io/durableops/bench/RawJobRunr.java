package io.durableops.bench;

import org.jobrunr.scheduling.JobRequestScheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Workload 2, the baseline: raw JobRunr, chains of no-op jobs where each job enqueues its successor from inside
 * itself (the hand-rolled pattern Durable Ops replaces), their first jobs enqueued in one batch. A step "ends" when its
 * work is done, just before it hands over its successor, as a Durable Ops attempt's finished_at is stamped before its
 * completion is committed and the next attempt dispatched; the transition is the successor's start minus that end.
 */
final class RawJobRunr {
    private final JobRequestScheduler scheduler;
    private final int steps;
    private final long[][] start;
    private final long[][] end;
    private final AtomicInteger done = new AtomicInteger();
    private final long[] probeEnqueued;
    private final long[] probeFirstStart;
    private final long[] probeDelayMillis;
    private final long[] probeScheduledAt;
    private final long[] probeDelayedStart;
    private final AtomicInteger probesDone = new AtomicInteger();
    private final AtomicInteger probesStarted = new AtomicInteger();

    private RawJobRunr(JobRequestScheduler scheduler, int chains, int steps, int probes) {
        this.scheduler = scheduler;
        this.steps = steps;
        this.start = new long[chains][steps];
        this.end = new long[chains][steps];
        this.probeEnqueued = new long[probes];
        this.probeFirstStart = new long[probes];
        this.probeDelayMillis = new long[probes];
        this.probeScheduledAt = new long[probes];
        this.probeDelayedStart = new long[probes];
    }

    static Result run(BenchConfig config, Database db, SqlCounter counter) throws Exception {
        db.recreate();
        try (Database.Pool pool = db.pool(20, counter);
             JobRunrServer jobRunr = new JobRunrServer(pool.counted(), config.workers(), config.pollInterval())) {
            RawJobRunr run = new RawJobRunr(new JobRequestScheduler(jobRunr.storage), config.chains(), config.stepsPerChain(), config.probes());
            RawJobs.current = run;
            int expected = config.chains() * config.stepsPerChain();
            Meter meter = new Meter(db, counter).start();
            // why one batch: every chain exists before the window opens, as for Durable Ops' enqueueAll
            run.scheduler.enqueue(IntStream.range(0, config.chains()).mapToObj(chain -> new RawJobs.ChainStep(chain, 0)));
            long deadline = System.nanoTime() + config.workloadTimeout().toNanos();
            while (run.done.get() < expected && System.nanoTime() < deadline) Micros.sleepMillis(5);
            Meter.Usage usage = meter.stop();
            long steps = run.done.get();
            long bytes = db.tableBytes(List.of("jobrunr_jobs")).values().stream().mapToLong(Long::longValue).sum();

            run.probe(config);
            return new Result("2 raw JobRunr (job enqueues successor)", steps, expected, run.windowSeconds(), run.transitions(),
                    run.enqueueToFirst(), run.lateness(), Stats.NONE, usage, 0, bytes,
                    steps < expected ? "INCOMPLETE: " + steps + " of " + expected + " steps within " + config.workloadTimeout().toSeconds() + " s" : "");
        } finally {
            RawJobs.current = null;
        }
    }

    void chainStep(int chain, int index) {
        start[chain][index] = Micros.now();
        end[chain][index] = Micros.now(); // a no-op step: its work is done
        if (index + 1 < steps) scheduler.enqueue(new RawJobs.ChainStep(chain, index + 1));
        done.incrementAndGet();
    }

    void probeFirst(int probe) {
        probeFirstStart[probe] = Micros.now();
        Instant at = Instant.now().plusMillis(probeDelayMillis[probe]);
        probeScheduledAt[probe] = Micros.of(at);
        probesStarted.incrementAndGet(); // publishes the two stamps above to the driver
        scheduler.schedule(at, new RawJobs.ProbeDelayed(probe));
    }

    void probeDelayed(int probe) {
        probeDelayedStart[probe] = Micros.now();
        probesDone.incrementAndGet();
    }

    private void probe(BenchConfig config) {
        for (int i = 0; i < probeEnqueued.length; i++) {
            probeDelayMillis[i] = ThreadLocalRandom.current().nextLong(config.minDelayMillis(), config.maxDelayMillis() + 1);
        }
        for (int i = 0; i < probeEnqueued.length; i++) {
            probeEnqueued[i] = Micros.now();
            scheduler.enqueue(new RawJobs.ProbeFirst(i));
            Micros.sleepMillis(config.probeSpacingMillis());
        }
        long deadline = System.nanoTime() + (config.maxDelayMillis() + 4 * config.pollInterval().toMillis()) * 1_000_000L;
        while (probesDone.get() < probeEnqueued.length && System.nanoTime() < deadline) Micros.sleepMillis(10);
        probesStarted.get();
    }

    private double windowSeconds() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int c = 0; c < start.length; c++) {
            for (int s = 0; s < steps; s++) {
                if (end[c][s] == 0) continue;
                first = Math.min(first, start[c][s]);
                last = Math.max(last, end[c][s]);
            }
        }
        return first == Long.MAX_VALUE ? 0 : (last - first) / 1e6;
    }

    private Stats transitions() {
        List<Double> values = new ArrayList<>();
        for (int c = 0; c < start.length; c++) {
            for (int s = 0; s + 1 < steps; s++) {
                if (end[c][s] != 0 && start[c][s + 1] != 0) values.add(Micros.millisBetween(end[c][s], start[c][s + 1]));
            }
        }
        return Stats.of(values);
    }

    private Stats enqueueToFirst() {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < probeEnqueued.length; i++) {
            if (probeFirstStart[i] != 0) values.add(Micros.millisBetween(probeEnqueued[i], probeFirstStart[i]));
        }
        return Stats.of(values);
    }

    private Stats lateness() {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < probeEnqueued.length; i++) {
            if (probeDelayedStart[i] != 0) values.add(Micros.millisBetween(probeScheduledAt[i], probeDelayedStart[i]));
        }
        return Stats.of(values);
    }
}

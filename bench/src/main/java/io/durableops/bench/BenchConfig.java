package io.durableops.bench;

import java.time.Duration;

/** Sizes of one run: the full run of issue 6, or the small {@code --quick} run for CI. */
record BenchConfig(boolean quick,
                   String serverUrl,
                   String database,
                   long commitMillis,
                   int chains,
                   int stepsPerChain,
                   int workers,
                   Duration pollInterval,
                   int probes,
                   long probeSpacingMillis,
                   long minDelayMillis,
                   long maxDelayMillis,
                   int inFlight,
                   Duration workloadTimeout,
                   boolean profile) {

    /** Rounds of the unmeasured warm-up of each engine. */
    static final int WARM_UP_ROUNDS = 4;

    /**
     * An unmeasured run of the same shape that loads and JIT-compiles the code paths before measuring: the measured
     * workloads then compare steady states, not how soon each engine's code gets compiled.
     */
    BenchConfig warmUp() {
        return new BenchConfig(quick, serverUrl, database, commitMillis, chains, stepsPerChain, workers, pollInterval,
                0, probeSpacingMillis, minDelayMillis, maxDelayMillis, inFlight, workloadTimeout, false);
    }

    /**
     * How often workloads 2 to 4b run, interleaved, in a full run: each reports its median run. why: one run of 200
     * chains lasts 0.4-3 s, and on this shared machine five such runs of the fast path within two minutes measured
     * 3,840-5,270 steps/s; the median of several, taken while the machine drifts alike for every engine, is steadier.
     * {@code -Dbench.repeats} overrides it.
     */
    int repeats() {
        return quick ? 1 : Integer.getInteger("bench.repeats", 5);
    }

    /** The same chains without the latency probe. */
    BenchConfig withoutProbe() {
        return new BenchConfig(quick, serverUrl, database, commitMillis, chains, stepsPerChain, workers, pollInterval,
                0, probeSpacingMillis, minDelayMillis, maxDelayMillis, inFlight, workloadTimeout, profile);
    }

    /**
     * The same sizes on {@code kind}'s server: {@code -Dbench.url} for MariaDB (jdbc:mysql://127.0.0.1:3306/?user=root),
     * {@code -Dbench.pgurl} for PostgreSQL (jdbc:postgresql://127.0.0.1:5432/?user=postgres); the database keeps its name.
     */
    BenchConfig on(Database.Kind kind) {
        String server = kind == Database.Kind.POSTGRES ? System.getProperty("bench.pgurl", "jdbc:postgresql://127.0.0.1:5432/?user=postgres")
                : System.getProperty("bench.url", "jdbc:mysql://127.0.0.1:3306/?user=root");
        return withDatabase(server, database);
    }

    /** The same sizes on another server and database. */
    BenchConfig withDatabase(String server, String db) {
        return new BenchConfig(quick, server, db, commitMillis, chains, stepsPerChain, workers, pollInterval,
                probes, probeSpacingMillis, minDelayMillis, maxDelayMillis, inFlight, workloadTimeout, profile);
    }

    static BenchConfig of(boolean quick, boolean profile) {
        String server = System.getProperty("bench.url", "jdbc:mysql://127.0.0.1:3306/?user=root");
        if (quick) {
            return new BenchConfig(true, server, System.getProperty("bench.db", "bench_quick"), 1000, 20, 10, 8,
                    Duration.ofSeconds(5), 8, 100, 1000, 2000, 500, Duration.ofSeconds(60), false);
        }
        return new BenchConfig(false, server, System.getProperty("bench.db", "bench"), 5000, 200, 10, 8,
                Duration.ofSeconds(5), 40, 100, 1000, 3000, 10_000, Duration.ofSeconds(180), profile);
    }
}

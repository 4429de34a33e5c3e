package io.durableops.bench;

import io.durableops.core.DurableOps;
import io.durableops.core.FastPath;

/**
 * The fast-path switch of workloads 3 and 4, in one place: workload 4 runs with the engine's fast path on
 * ({@link FastPath#defaults()}: up to 32 consecutive due steps of an operation, 1 s per worker turn, then back to JobRunr),
 * workload 3 with it explicitly off (one JobRunr job per step), whatever the runtime default becomes.
 * Set {@link #IMPLEMENTED} to false to measure workload 4 without it; the report then says so loudly.
 */
final class FastPathSetting {
    /** Whether {@link #on} really switches the fast path on. */
    static final boolean IMPLEMENTED = true;

    static final String NOT_IMPLEMENTED = "fast path not yet implemented: measured with one job per step";

    private FastPathSetting() {
    }

    static FastPath setting() {
        return FastPath.defaults();
    }

    /**
     * How many turns workload 4 runs: {@code -Dbench.fastPathTurns}, else the runtime's default (twice the processors, as
     * {@code DurableOps.Builder.fastPathTurns} documents it), for the SQL floor at the same concurrency.
     */
    static int turns() {
        return Integer.getInteger("bench.fastPathTurns", 2 * Runtime.getRuntime().availableProcessors());
    }

    static DurableOps.Builder on(DurableOps.Builder builder) {
        // why a property: a scratch comparison of turn counts (BENCH_JAVA_OPTS=-Dbench.fastPathTurns=3); the documented
        // runs use the runtime's default
        Integer turns = Integer.getInteger("bench.fastPathTurns");
        if (turns != null) builder.fastPathTurns(turns);
        return IMPLEMENTED ? builder.fastPath(setting()) : builder;
    }

    static DurableOps.Builder off(DurableOps.Builder builder) {
        return builder.fastPath(FastPath.off());
    }
}

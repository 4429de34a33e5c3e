package io.durableops.bench;

import io.durableops.core.Flow;
import io.durableops.core.Limit;
import io.durableops.core.OperationDefinition;

import java.time.Duration;

/** The operations the Durable Ops workloads run; every step stamps its begin and end in a {@link StepTimes}. */
final class BenchDefinitions {
    static final String CHAIN = "bench-chain";
    static final String PROBE = "bench-probe";

    private BenchDefinitions() {
    }

    /** {@code actions} no-op actions, then a result: the Durable Ops form of a chain of no-op jobs. */
    static OperationDefinition chain(int actions, StepTimes times) {
        return chain(actions, times, null);
    }

    /** As {@link #chain(int, StepTimes)}, with a global concurrency limit of {@code limit} steps (null: none). */
    static OperationDefinition chain(int actions, StepTimes times, Integer limit) {
        return OperationDefinition.of(CHAIN, flow -> {
            Flow f = limit == null ? flow : flow.limit(Limit.concurrency(limit));
            for (int i = 0; i < actions; i++) {
                int step = i;
                f = f.action("step-" + (i + 1), ctx -> {
                    times.markBegin(ctx.operationId().value(), step);
                    times.markEnd(ctx.operationId().value(), step);
                });
            }
            f.result("done", (ctx, results) -> {
                times.markBegin(ctx.operationId().value(), actions);
                times.markEnd(ctx.operationId().value(), actions);
            });
        });
    }

    /**
     * Enqueue-to-first-step and delayed-step lateness: a first step that asks for the second one {@code delayMs}
     * later (input), the delayed second step, a result. Step 0 ends right after it asked for the delay, so the
     * second step is due at end(0) + delay (the engine stamps the due time a few microseconds later still).
     */
    static OperationDefinition probe(StepTimes times) {
        return OperationDefinition.of(PROBE, flow -> {
            flow.requires("delayMs")
                    .action("first", ctx -> {
                        times.markBegin(ctx.operationId().value(), 0);
                        ctx.delayNext(Duration.ofMillis(ctx.get("delayMs", Long.class)));
                        times.markEnd(ctx.operationId().value(), 0);
                    })
                    .action("delayed", ctx -> times.markBegin(ctx.operationId().value(), 1))
                    .result("done");
        });
    }
}

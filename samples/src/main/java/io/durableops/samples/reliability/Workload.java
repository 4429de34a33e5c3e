package io.durableops.samples.reliability;

import io.durableops.core.Flow;
import io.durableops.core.Limit;
import io.durableops.core.OperationDefinition;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepContext;
import io.durableops.core.StepOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reliability suite's workload: five steps, alternating ordinary steps (at least once) and transactional ones
 * (exactly once for their database writes). Every step records its run in {@code reliability_effects} and appends its
 * name to the {@code trail} global; the result step returns the trail, so a step recorded twice would show in it.
 * Ordinary steps take 30-60 ms, so a worker killed at a random moment is usually in the middle of one; at most
 * {@link #CARRIER_CALLS} {@code call-carrier} steps run at once, so some wait queued behind that limit.
 */
public final class Workload implements OperationDefinition {
    public static final String NAME = "reliability-workload";
    /** The steps in order; the last one is the result step. */
    public static final List<String> STEPS = List.of("reserve-stock", "record-order", "notify-warehouse", "call-carrier", "record-shipment", "done");
    /** The steps of version 2, the new build of the rolling deploy: {@code notify-warehouse} renamed {@code notify-depot}. */
    public static final List<String> STEPS_V2 = List.of("reserve-stock", "record-order", "notify-depot", "call-carrier", "record-shipment", "done");
    /** The steps whose writes are transactional (a {@code tx} effect row each, exactly once). */
    public static final List<String> TRANSACTIONAL = List.of("record-order", "record-shipment");
    /**
     * The steps that add themselves to the operation's trail (a global), in order. {@code notify-warehouse} changes no
     * globals. On a fast-path worker the non-transactional steps are recorded alone, without their operation row (see
     * the fast path in docs/concepts.md): the trail then travels on the next attempt until a transactional step or the
     * end brings the row up to date.
     */
    public static final List<String> TRAILED = List.of("reserve-stock", "record-order", "call-carrier", "record-shipment");

    // why so many tries: a worker killed mid-step and a database outage each cost a try of the steps in flight;
    // the suite checks that such steps still complete, not that a retry budget runs out
    /** How many {@code call-carrier} steps may run at once across the workers (a concurrency limit on that step). */
    public static final int CARRIER_CALLS = 4;
    private static final RetryPolicy RETRY = RetryPolicy.exponential(30).withInitialDelay(Duration.ofMillis(500)).withMaxDelay(Duration.ofSeconds(5));

    private final Effects effects;
    private final int version;

    /** Version 1, as the old build has it. */
    public Workload(Effects effects) {
        this(effects, 1);
    }

    private Workload(Effects effects, int version) {
        this.effects = effects;
        this.version = version;
    }

    /** Version 2, as the new build of the rolling deploy has it beside version 1: its third step renamed. */
    public static Workload renamed(Effects effects) {
        return new Workload(effects, 2);
    }

    /** The steps of operations started on {@code version}. */
    public static List<String> steps(int version) {
        return version == 2 ? STEPS_V2 : STEPS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public void define(Flow flow) {
        flow.requires("n")
                .action("reserve-stock", ctx -> ordinary(ctx), StepOptions.retry(RETRY))
                .action("record-order", ctx -> transactional(ctx), StepOptions.transactional().andRetry(RETRY))
                .action(steps(version).get(2), ctx -> {
                    effects.ran(ctx);
                    work(5, 15);
                }, StepOptions.retry(RETRY))
                // why a limit: places held by a worker killed mid-step must come back (within the lease), and steps
                // queued behind it must neither be lost nor run twice
                .action("call-carrier", ctx -> ordinary(ctx), StepOptions.retry(RETRY).andLimit(Limit.concurrency(CARRIER_CALLS)))
                .action("record-shipment", ctx -> transactional(ctx), StepOptions.transactional().andRetry(RETRY))
                .result("done", (ctx, results) -> {
                    effects.ran(ctx);
                    results.put("trail", trail(ctx)).put("n", ctx.get("n", Integer.class));
                }, StepOptions.retry(RETRY));
    }

    private void ordinary(StepContext ctx) throws Exception {
        effects.ran(ctx);
        work(30, 60);
        appendToTrail(ctx);
    }

    private void transactional(StepContext ctx) throws Exception {
        effects.ran(ctx);
        effects.inTransaction(ctx);
        work(5, 15);
        appendToTrail(ctx);
    }

    /** The workload itself: a chaos suite needs steps that take a while, so that kills land in the middle of them. */
    private static void work(int minMillis, int maxMillis) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1));
    }

    private static void appendToTrail(StepContext ctx) {
        List<String> trail = trail(ctx);
        trail.add(ctx.step());
        ctx.set("trail", trail);
    }

    @SuppressWarnings("unchecked")
    private static List<String> trail(StepContext ctx) {
        return new ArrayList<>(ctx.find("trail", List.class).orElse(List.of()));
    }
}

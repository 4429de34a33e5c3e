package io.durableops.samples.serial;

import io.durableops.core.Flow;
import io.durableops.core.Limit;
import io.durableops.core.OperationDefinition;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A customer changes plan: charge the difference, wait for the payment provider to confirm, then switch the plan.
 * Never two changes of the same customer at once, and in the order they were asked for (a downgrade asked after an
 * upgrade runs after it); at most five talk to the payment provider at once across all nodes; at most 100 charges a
 * minute, as the provider's contract says.
 */
public final class PlanChange implements OperationDefinition {
    public static final String NAME = "plan-change";

    private final List<String> switched = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return NAME;
    }

    /** The plans switched, in order: "customer:plan". */
    public List<String> switched() {
        return switched;
    }

    @Override
    public void define(Flow flow) {
        // tag::limits[]
        flow.limit(Limit.perKey("customerId", 1))  // one change per customer at a time, in enqueue order
                .limit(Limit.concurrency(5))        // at most 5 of these steps run at once, on all nodes together
                .action("charge-difference", ctx -> ctx.set("charged", true),
                        StepOptions.limit(Limit.rate(100, Duration.ofMinutes(1))))  // this step: 100 a minute
                .awaitSignal("confirmed?", "payment-confirmed", WaitOptions.timeout(Duration.ofHours(1)))
                .action("switch-plan", ctx -> switched.add(ctx.get("customerId", String.class) + ":" + ctx.get("plan", String.class)))
                .result("done");
        // end::limits[]
    }
}

package io.durableops.samples.subscription;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;

import java.time.Duration;

/**
 * back_ops' subscription fulfillment: charge the card, set up a red or a blue subscription, and send the receipt
 * after a delay. Each step is its own JobRunr job; a failed charge is retried without setting anything up twice.
 */
public final class SubscriptionFulfillment implements OperationDefinition {
    public static final String NAME = "subscription-fulfillment";

    private final Payments payments;
    private final Duration receiptDelay;

    public SubscriptionFulfillment(Payments payments, Duration receiptDelay) {
        this.payments = payments;
        this.receiptDelay = receiptDelay;
    }

    @Override
    public String name() {
        return NAME;
    }

    // tag::readme[]
    @Override
    public void define(Flow flow) {
        flow.requires("subscriptionId", "plan", "email")
                .action("charge-card", ctx -> {
                    long subscriptionId = ctx.get("subscriptionId", Long.class);
                    // the idempotency key is the same for every retry of this step: the provider charges once
                    ctx.set("chargeId", payments.charge(subscriptionId, 4_900, ctx.idempotencyKey()));
                }, StepOptions.retry(RetryPolicy.exponential(5).withInitialDelay(Duration.ofMillis(500))))
                .decision("which-plan", ctx -> ctx.get("plan", String.class).equals("red"), "setup-red", "setup-blue")
                .branch("red")
                .action("setup-red", ctx -> ctx.set("features", "red: unlimited projects"), StepOptions.then("send-receipt"))
                .branch("blue")
                .action("setup-blue", ctx -> ctx.set("features", "blue: five projects"), StepOptions.then("send-receipt"))
                .branch(Flow.MAIN)
                .action("send-receipt", ctx -> ctx.set("receiptSentTo", ctx.get("email", String.class)),
                        StepOptions.delay(receiptDelay))
                .result("fulfilled", (ctx, results) -> results
                        .put("chargeId", ctx.get("chargeId", String.class))
                        .put("features", ctx.get("features", String.class))
                        .put("receiptSentTo", ctx.get("receiptSentTo", String.class)));
    }
    // end::readme[]
}

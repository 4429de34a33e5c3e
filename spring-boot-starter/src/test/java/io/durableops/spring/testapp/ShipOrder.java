package io.durableops.spring.testapp;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import org.springframework.stereotype.Component;

/** A two-step operation whose steps record that they ran, in {@link StepLog}. */
@Component
public class ShipOrder implements OperationDefinition {
    public static final String NAME = "ship-order";

    private final StepLog log;

    public ShipOrder(StepLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(Flow flow) {
        flow.requires("orderId")
                .action("reserve", ctx -> log.ran(ctx.get("orderId", String.class), "reserve"))
                .action("ship", ctx -> {
                    log.ran(ctx.get("orderId", String.class), "ship");
                    ctx.set("shipped", true);
                })
                .result("shipped", (ctx, results) -> results.put("orderId", ctx.get("orderId", String.class)));
    }
}

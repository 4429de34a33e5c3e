package io.durableops.samples.orders;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * async_task's example: an order is created and the fulfillment RPC must happen if and only if the order's
 * transaction commits. The operation is enqueued on the order's own connection, so a rollback leaves nothing behind
 * and nothing is called; its arguments (the customer token) are stored encrypted, here with a custom encryptor.
 */
public final class OrderFulfillment implements OperationDefinition {
    public static final String NAME = "order-fulfillment";

    /** The remote fulfillment service; deduplicates by idempotency key. */
    public interface OrderClient {
        void fulfill(String customerToken, long orderNumber, String idempotencyKey);
    }

    private final OrderClient client;

    public OrderFulfillment(OrderClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(Flow flow) {
        flow.requires("customerToken", "orderNumber")
                .action("fulfill", ctx -> client.fulfill(ctx.args().get("customerToken", String.class),
                        ctx.args().get("orderNumber", Long.class), ctx.idempotencyKey()),
                        StepOptions.retry(RetryPolicy.exponential(10).withInitialDelay(Duration.ofSeconds(5))))
                .result("fulfilled");
    }

    /** The application side: create the order and its fulfillment in one transaction. */
    public static OperationId placeOrder(Connection connection, OperationScheduler scheduler, long orderNumber, String customerToken)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO orders (number, status) VALUES (?, 'placed')")) {
            ps.setLong(1, orderNumber);
            ps.executeUpdate();
        }
        return scheduler.enqueue(connection, NAME, Map.of("customerToken", customerToken, "orderNumber", orderNumber));
    }
}

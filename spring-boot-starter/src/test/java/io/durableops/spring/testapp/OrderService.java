package io.durableops.spring.testapp;

import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.Map;
import java.util.function.Consumer;

/** Stores an order and starts its shipping in one Spring transaction. */
@Service
public class OrderService {
    private final JdbcTemplate jdbc;
    private final OperationScheduler scheduler;

    public OrderService(JdbcTemplate jdbc, OperationScheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    /**
     * Inserts the order, enqueues its shipping, hands the operation's id to {@code beforeCommit} (still inside the
     * transaction), and commits, or rolls everything back when {@code decline} is set.
     */
    @Transactional
    public OperationId place(String orderId, boolean decline, Consumer<OperationId> beforeCommit) {
        jdbc.update("INSERT INTO spring_test_orders (id) VALUES (?)", orderId);
        OperationId id = scheduler.enqueue(ShipOrder.NAME, Map.of("orderId", orderId));
        beforeCommit.accept(id);
        if (decline) throw new OrderDeclinedException(orderId);
        return id;
    }

    /** Thrown to roll the order's transaction back. */
    public static final class OrderDeclinedException extends RuntimeException {
        OrderDeclinedException(String orderId) {
            super("order " + orderId + " declined");
        }
    }
}

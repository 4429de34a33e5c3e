package io.durableops.samples.spring;

import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.samples.subscription.SubscriptionFulfillment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;

/** Stores subscriptions and starts their fulfillment, in one transaction. */
@Service
public class Subscriptions {
    private final JdbcTemplate jdbc;
    private final OperationScheduler scheduler;

    public Subscriptions(JdbcTemplate jdbc, OperationScheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    /** A stored subscription and the operation that fulfils it. */
    public record Subscribed(long subscriptionId, OperationId operationId) {
    }

    // tag::transactional-enqueue[]
    @Transactional
    public Subscribed subscribe(String email, String plan) {
        long subscriptionId = insert(email, plan);
        // joins this transaction: the operation exists, and its first step runs, only if the method commits
        OperationId operationId = scheduler.enqueue(SubscriptionFulfillment.NAME,
                Map.of("subscriptionId", subscriptionId, "plan", plan, "email", email),
                EnqueueOptions.idempotencyKey("subscription-" + subscriptionId));
        Integer active = jdbc.queryForObject("SELECT COUNT(*) FROM subscriptions WHERE email = ?", Integer.class, email);
        if (active != null && active > 1) throw new AlreadySubscribedException(); // rolls back the row and the operation
        return new Subscribed(subscriptionId, operationId);
    }
    // end::transactional-enqueue[]

    private long insert(String email, String plan) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement("INSERT INTO subscriptions (email, plan) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS);
            ps.setString(1, email);
            ps.setString(2, plan);
            return ps;
        }, key);
        return Objects.requireNonNull(key.getKey(), "generated subscription id").longValue();
    }

    /** The email has a subscription already; nothing was stored. */
    public static final class AlreadySubscribedException extends RuntimeException {
        AlreadySubscribedException() {
            super("this email has a subscription already");
        }
    }
}

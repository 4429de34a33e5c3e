package io.durableops.samples.rides;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

/**
 * acidic_job's ride creation: enqueued with the ride request's idempotency key (a double-submitted form creates one
 * ride), the ride and its audit record are written in a transactional step (exactly once, with the step's
 * completion), the card is charged with the step's idempotency key (the provider deduplicates retries), and the
 * receipt is staged: it is sent only once the charge step's completion has committed.
 */
public final class RideCreation implements OperationDefinition {
    public static final String NAME = "ride-creation";
    public static final String RECEIPT = "ride-receipt";

    /** The payment provider: deduplicates requests that carry the same idempotency key. */
    public interface Payments {
        String charge(long riderId, long cents, String idempotencyKey);
    }

    private final Payments payments;

    public RideCreation(Payments payments) {
        this.payments = payments;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(Flow flow) {
        flow.requires("rideId", "riderId", "origin", "destination", "cents")
                .action("create-ride-and-audit-record", ctx -> {
                    try (PreparedStatement ride = ctx.connection().prepareStatement(
                            "INSERT INTO rides (id, rider_id, origin, destination) VALUES (?, ?, ?, ?)");
                         PreparedStatement audit = ctx.connection().prepareStatement(
                                 "INSERT INTO ride_audit (ride_id, action) VALUES (?, 'created')")) {
                        ride.setString(1, ctx.get("rideId", String.class));
                        ride.setLong(2, ctx.get("riderId", Long.class));
                        ride.setString(3, ctx.get("origin", String.class));
                        ride.setString(4, ctx.get("destination", String.class));
                        ride.executeUpdate();
                        audit.setString(1, ctx.get("rideId", String.class));
                        audit.executeUpdate();
                    }
                }, StepOptions.transactional())
                .action("create-stripe-charge", ctx -> ctx.set("chargeId",
                                payments.charge(ctx.get("riderId", Long.class), ctx.get("cents", Long.class), ctx.idempotencyKey())),
                        StepOptions.retry(RetryPolicy.exponential(8).withInitialDelay(Duration.ofSeconds(2))))
                .action("send-receipt", ctx -> ctx.enqueueAfterCommit(RECEIPT, Map.of(
                        "rideId", ctx.get("rideId", String.class), "chargeId", ctx.get("chargeId", String.class))))
                .result("created", (ctx, results) -> results.put("chargeId", ctx.get("chargeId", String.class)));
    }

    /** The receipt, its own operation so a mail outage retries only the mail. */
    public static OperationDefinition receipt(Mailer mailer) {
        return OperationDefinition.of(RECEIPT, flow -> {
            flow.requires("rideId", "chargeId")
                    .action("mail", ctx -> mailer.sendReceipt(ctx.get("rideId", String.class), ctx.get("chargeId", String.class)))
                    .result("sent");
        });
    }

    /** Sends receipts. */
    public interface Mailer {
        void sendReceipt(String rideId, String chargeId);
    }
}

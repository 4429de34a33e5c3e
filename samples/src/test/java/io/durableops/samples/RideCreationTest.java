package io.durableops.samples;

import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.samples.rides.RideCreation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RideCreationTest {
    final Map<String, String> chargesByKey = new ConcurrentHashMap<>();
    final AtomicInteger providerCalls = new AtomicInteger();
    final List<String> receipts = new CopyOnWriteArrayList<>();

    /** A provider that times out on the first call after charging: the retry must not charge twice. */
    final RideCreation.Payments payments = (riderId, cents, key) -> {
        String charge = chargesByKey.computeIfAbsent(key, k -> "ch_" + riderId + "_" + cents);
        if (providerCalls.incrementAndGet() == 1) throw new IllegalStateException("read timeout after the charge was made");
        return charge;
    };

    @Test
    void aDoubleSubmittedRideIsCreatedChargedAndReceiptedOnce() {
        try (SampleHarness h = new SampleHarness(new RideCreation(payments), RideCreation.receipt((ride, charge) -> receipts.add(ride + ":" + charge)))) {
            h.sql("CREATE TABLE rides (id VARCHAR(36) PRIMARY KEY, rider_id BIGINT, origin VARCHAR(100), destination VARCHAR(100))",
                    "CREATE TABLE ride_audit (ride_id VARCHAR(36), action VARCHAR(20))");
            Map<String, Object> request = Map.of("rideId", "ride-1", "riderId", 7L, "origin", "A", "destination", "B", "cents", 2000L);
            OperationId first = h.ops.scheduler().enqueue(RideCreation.NAME, request, EnqueueOptions.idempotencyKey("request-abc"));
            OperationId again = h.ops.scheduler().enqueue(RideCreation.NAME, request, EnqueueOptions.idempotencyKey("request-abc"));
            assertThat(again).isEqualTo(first);

            h.runToEnd();

            assertThat(h.ops.scheduler().get(first).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(h.count("rides")).isEqualTo(1);
            assertThat(h.count("ride_audit")).isEqualTo(1);
            assertThat(providerCalls.get()).as("the charge step was retried").isEqualTo(2);
            assertThat(chargesByKey).as("but charged once: same idempotency key").hasSize(1);
            assertThat(receipts).containsExactly("ride-1:ch_7_2000");
            assertThat(h.clock.instant()).isAfter(java.time.Instant.parse("2026-11-21T09:00:00Z"))
                    .isBefore(java.time.Instant.parse("2026-11-21T09:00:00Z").plus(Duration.ofSeconds(10)));
        }
    }
}

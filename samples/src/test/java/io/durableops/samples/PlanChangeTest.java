package io.durableops.samples;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import io.durableops.samples.serial.PlanChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlanChangeTest {
    @Test
    void aCustomersChangesRunOneAtATimeInOrderWhileOtherCustomersGoOn() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
        ManualDispatcher dispatcher = new ManualDispatcher(clock);
        PlanChange planChange = new PlanChange();
        try (TestDatabase db = TestDatabase.h2();
             DurableOps ops = DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("k", AesGcmEncryptor.generateKey()))
                     .clock(clock).dispatcher(dispatcher).relayInterval(Duration.ZERO).register(planChange).build()) {
            OperationScheduler scheduler = ops.scheduler();
            // tag::enqueue[]
            OperationId upgrade = scheduler.enqueue(PlanChange.NAME, Map.of("customerId", "c-42", "plan", "pro"));
            OperationId downgrade = scheduler.enqueue(PlanChange.NAME, Map.of("customerId", "c-42", "plan", "basic"));
            OperationId other = scheduler.enqueue(PlanChange.NAME, Map.of("customerId", "c-7", "plan", "pro"),
                    EnqueueOptions.priority(10));  // when a place frees up, higher priorities go first
            // end::enqueue[]
            dispatcher.runDue();

            // the upgrade waits for its payment; the downgrade of the same customer waits for the upgrade, and says so
            assertThat(scheduler.get(upgrade).currentStep()).isEqualTo("confirmed?");
            // tag::why[]
            assertThat(scheduler.get(downgrade).queuedReason())
                    .contains("queued: 1 of 1 operations with the same customerId running");
            // end::why[]
            assertThat(scheduler.get(other).currentStep()).isEqualTo("confirmed?");

            scheduler.signal(other, "payment-confirmed", Map.of());
            scheduler.signal(upgrade, "payment-confirmed", Map.of());
            dispatcher.runDue();
            dispatcher.runDue();
            assertThat(scheduler.get(downgrade).queuedReason()).isEmpty();
            assertThat(scheduler.get(downgrade).currentStep()).isEqualTo("confirmed?");
            scheduler.signal(downgrade, "payment-confirmed", Map.of());
            dispatcher.runDue();

            assertThat(planChange.switched()).containsExactly("c-7:pro", "c-42:pro", "c-42:basic");
            for (OperationId id : new OperationId[]{upgrade, downgrade, other}) {
                assertThat(scheduler.get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            }
        }
    }
}

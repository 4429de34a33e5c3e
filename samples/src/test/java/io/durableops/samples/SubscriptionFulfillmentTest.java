package io.durableops.samples;

import io.durableops.core.AttemptView;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.testing.TestEngine;
import io.durableops.samples.subscription.Payments;
import io.durableops.samples.subscription.SubscriptionFulfillment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionFulfillmentTest {
    @Test
    void chargesBranchesAndSendsTheReceiptAfterItsDelay() {
        Payments payments = new Payments().declineOnceFor(42);
        try (TestEngine engine = TestEngine.of(new SubscriptionFulfillment(payments, Duration.ofMinutes(10)))) {
            OperationId id = engine.scheduler().enqueue(SubscriptionFulfillment.NAME, Map.of("subscriptionId", 42, "plan", "blue", "email", "ada@example.com"));
            engine.runUntilIdle();
            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(engine.scheduler().attempts(id)).extracting(AttemptView::step)
                    .containsExactly("charge-card", "which-plan", "setup-blue", "send-receipt", "fulfilled");
            AttemptView receipt = engine.scheduler().attempts(id).get(3);
            assertThat(receipt.startedAt().orElseThrow()).isEqualTo(engine.scheduler().attempts(id).get(2).finishedAt().orElseThrow().plus(Duration.ofMinutes(10)));
            assertThat(payments.chargeCount()).as("declined once, retried, charged once").isEqualTo(1);
            assertThat(engine.clock().instant()).isAfter(Instant.parse("2026-01-01T00:10:00Z"));
        }
    }
}

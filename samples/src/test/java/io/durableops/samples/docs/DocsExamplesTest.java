package io.durableops.samples.docs;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;
import io.durableops.core.testing.StepOutcome;
import io.durableops.core.testing.StepTester;
import io.durableops.core.testing.TestEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The code shown in docs/testing.md and docs/writing-operations.md; DocsSnippetsTest keeps the docs equal to it. */
class DocsExamplesTest {
    // tag::definition[]
    static final class Onboarding implements OperationDefinition {
        public String name() {
            return "onboarding";
        }

        public void define(Flow flow) {
            flow.requires("email")
                .action("create-account", ctx -> ctx.set("accountId", "acc-" + ctx.get("email", String.class).hashCode()),
                        StepOptions.retry(RetryPolicy.exponential(5)))
                .decision("vip?", ctx -> ctx.get("email", String.class).endsWith("@bigcorp.example"), "assign-manager", "welcome")
                .action("assign-manager", ctx -> ctx.set("manager", "grace"), StepOptions.then("welcome"))
                .awaitSignal("welcome", "welcome-read", WaitOptions.timeout(Duration.ofDays(7)).onTimeout("nudge"))
                .result("done", (ctx, results) -> results.put("accountId", ctx.get("accountId", String.class)))
                .action("nudge", ctx -> ctx.set("nudged", true), StepOptions.delay(Duration.ofHours(1)).andThen("done"));
        }
    }
    // end::definition[]

    // tag::step-test[]
    @Test
    void vipsGetAManager() {
        StepTester steps = StepTester.of(new Onboarding());

        StepOutcome outcome = steps.handling("vip?", Map.of("email", "cto@bigcorp.example"));

        assertThat(outcome.nextStep()).hasValue("assign-manager");
        assertThat(steps.handling("assign-manager", Map.of()).globals().get("manager", String.class)).isEqualTo("grace");
    }
    // end::step-test[]

    // tag::engine-test[]
    @Test
    void anUnreadWelcomeIsNudgedAfterAWeekAndAnHour() {
        try (TestEngine engine = TestEngine.of(new Onboarding())) {
            OperationId id = engine.scheduler().enqueue("onboarding", Map.of("email", "ada@example.com"));

            engine.runUntilIdle();                       // no sleeping: the clock jumps over 7 days and 1 hour

            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(engine.scheduler().get(id).globals().get("nudged", Boolean.class)).isTrue();
            assertThat(engine.clock().instant()).isEqualTo("2026-01-08T01:00:00Z");
        }
    }
    // end::engine-test[]

    // tag::signal-test[]
    @Test
    void aReadWelcomeCompletesAtOnce() {
        try (TestEngine engine = TestEngine.of(new Onboarding())) {
            OperationId id = engine.scheduler().enqueue("onboarding", Map.of("email", "ada@example.com"));
            engine.runDue();
            engine.scheduler().signal(id, "welcome-read", null);
            engine.runDue();
            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        }
    }
    // end::signal-test[]
}

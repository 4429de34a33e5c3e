package io.durableops.core.testing;

import io.durableops.core.EnqueueOptions;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestingKitTest {
    /** standard_procedure_operations' document download flowchart. */
    static final class PrepareDownload implements OperationDefinition {
        @Override
        public String name() {
            return "prepare-download";
        }

        @Override
        public void define(Flow flow) {
            flow.requires("user", "document", "scramble")
                    .decision("authorised?", ctx -> !ctx.get("user", String.class).equals("mallory"), "within-limits?", "unauthorised")
                    .decision("within-limits?", ctx -> ctx.find("downloads", Integer.class).orElse(0) < 10, "scramble?", "limit-reached")
                    .decision("scramble?", ctx -> ctx.get("scramble", Boolean.class), "scramble-filename", "return-filename")
                    .action("scramble-filename", ctx -> ctx.set("filename", "x" + ctx.get("document", String.class).hashCode() + ".pdf"),
                            StepOptions.then("return-filename"))
                    .result("return-filename", (ctx, results) -> results.put("filename",
                            ctx.find("filename", String.class).orElse(ctx.get("document", String.class))))
                    .failure("unauthorised", "unauthorised")
                    .failure("limit-reached", "download_limit_reached");
        }
    }

    @Test
    void oneStepIsTestedInIsolation() {
        StepTester tester = StepTester.of(new PrepareDownload());
        assertThat(tester.handling("authorised?", Map.of("user", "mallory")).nextStep()).hasValue("unauthorised");
        assertThat(tester.handling("authorised?", Map.of("user", "ada")).nextStep()).hasValue("within-limits?");
        assertThat(tester.handling("within-limits?", Map.of("downloads", 10)).nextStep()).hasValue("limit-reached");

        StepOutcome scrambled = tester.handling("scramble-filename", Map.of("document", "report.pdf"));
        assertThat(scrambled.nextStep()).hasValue("return-filename");
        assertThat(scrambled.globals().get("filename", String.class)).startsWith("x").endsWith(".pdf");

        StepOutcome result = tester.handling("return-filename", Map.of("document", "report.pdf"));
        assertThat(result.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(result.results().get("filename", String.class)).isEqualTo("report.pdf");

        StepOutcome failure = tester.handling("limit-reached", Map.of());
        assertThat(failure.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(failure.failureReason()).hasValue("download_limit_reached");
    }

    @Test
    void isolatedStepsReportDelaysErrorsWaitsAndWhatTheyStarted() {
        OperationDefinition definition = OperationDefinition.of("kit", flow -> {
            flow.action("charge", ctx -> {
                        if (ctx.get("card", String.class).isEmpty()) throw new IllegalArgumentException("no card");
                        ctx.startChild("kit", Map.of("card", "child"));
                        ctx.pass("receipt", "r-1");
                    })
                    .action("send-receipt", ctx -> { }, StepOptions.delay(Duration.ofMinutes(10)))
                    .waitUntil("paid?", ctx -> ctx.find("paid", Boolean.class).orElse(false), WaitOptions.defaults().every(Duration.ofMinutes(5)))
                    .result("done");
        });
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        StepTester tester = StepTester.of(definition).clock(clock);

        StepOutcome charge = tester.handling("charge", Map.of("card", "4242"));
        assertThat(charge.nextStep()).hasValue("send-receipt");
        assertThat(charge.nextAt()).hasValue(Instant.parse("2026-03-01T12:10:00Z"));
        assertThat(charge.nextArgs().get("receipt", String.class)).isEqualTo("r-1");
        assertThat(charge.startedOperations()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("kit");
            assertThat(e.getValue().get("card", String.class)).isEqualTo("child");
        });
        assertThat(tester.handling("charge", Map.of("card", "")).error()).get().isInstanceOf(IllegalArgumentException.class);
        assertThat(tester.handling("paid?", Map.of()).waitingUntil()).hasValue(Instant.parse("2026-03-01T12:05:00Z"));
        assertThat(tester.handling("paid?", Map.of("paid", true)).nextStep()).hasValue("done");
        assertThatThrownBy(() -> tester.handling("nope", Map.of())).hasMessageContaining("known steps: charge, send-receipt, paid?, done");
    }

    OperationDefinition reminderFlow() {
        return OperationDefinition.of("verify", flow -> {
            flow.action("send-email", ctx -> { })
                    .action("follow-up", ctx -> ctx.set("followedUpAt", ctx.now()), StepOptions.delay(Duration.ofHours(2)))
                    .awaitSignal("verified?", "verified", WaitOptions.timeout(Duration.ofDays(3)).onTimeout("give-up"))
                    .result("done")
                    .result("give-up", (ctx, results) -> results.put("gaveUp", true));
        });
    }

    @Test
    void aWholeOperationRunsInAUnitTestSkippingDelaysAndTimeouts() {
        try (TestEngine engine = TestEngine.of(reminderFlow())) {
            OperationId id = engine.scheduler().enqueue("verify", Map.of());
            engine.runUntilIdle();
            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(engine.scheduler().get(id).results().get("gaveUp", Boolean.class)).isTrue();
            assertThat(engine.scheduler().get(id).globals().get("followedUpAt", Instant.class)).isEqualTo(Instant.parse("2026-01-01T02:00:00Z"));
            assertThat(engine.clock().instant()).isEqualTo(Instant.parse("2026-01-04T02:00:00Z"));
        }
    }

    @Test
    void signalsAndDeadlinesInATestEngine() {
        try (TestEngine engine = TestEngine.of(reminderFlow())) {
            OperationId verified = engine.scheduler().enqueue("verify", Map.of());
            OperationId late = engine.scheduler().enqueue("verify", Map.of(), EnqueueOptions.deadline(Duration.ofHours(1)));
            engine.runDue();
            engine.advance(Duration.ofHours(2));
            assertThat(engine.scheduler().get(late).status()).isEqualTo(OperationStatus.EXPIRED);
            engine.scheduler().signal(verified, "verified", null);
            engine.runDue();
            assertThat(engine.scheduler().get(verified).currentStep()).isEqualTo("done");
            assertThat(engine.scheduler().get(verified).status()).isEqualTo(OperationStatus.COMPLETED);
        }
    }

    @Test
    void anOperationThatNeverEndsIsReportedNotLoopedOnForEver() {
        OperationDefinition forever = OperationDefinition.of("forever", flow -> {
            flow.waitUntil("never", ctx -> false, WaitOptions.defaults().every(Duration.ofDays(30))).result("done");
        });
        try (TestEngine engine = TestEngine.of(forever)) {
            engine.scheduler().enqueue("forever", Map.of());
            assertThatThrownBy(engine::runUntilIdle).isInstanceOf(IllegalStateException.class).hasMessageContaining("still scheduled after PT8784H");
        }
    }

    @Test
    void operationAssertSaysWhatTheOperationIsWhenItIsNotWhatWasExpected() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        OperationDefinition invoice = OperationDefinition.of("invoice", flow -> flow
                .action("price", ctx -> ctx.set("total", 42L))
                .action("send", ctx -> {
                    if (calls.incrementAndGet() == 1) throw new IllegalStateException("mail server down");
                }, StepOptions.retry(io.durableops.core.RetryPolicy.fixed(3, Duration.ofSeconds(1))))
                .awaitSignal("paid?", "paid", WaitOptions.defaults())
                .result("done", (ctx, results) -> results.put("total", ctx.get("total", Long.class))));
        try (TestEngine engine = TestEngine.of(invoice)) {
            OperationId id = engine.scheduler().enqueue("invoice", Map.of());
            engine.runUntilIdle();
            // tag::operation-assert[]
            OperationAssert.assertThat(engine.scheduler(), id).isRunning().isAt("paid?").hasGlobal("total", 42L).triedStep("send", 2);
            // end::operation-assert[]
            assertThatThrownBy(() -> OperationAssert.assertThat(engine.scheduler(), id).isCompleted())
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("expected operation " + id + " (invoice) to be COMPLETED; it is RUNNING at step 'paid?'");
            engine.scheduler().signal(id, "paid", Map.of());
            engine.runUntilIdle();
            OperationAssert.assertThat(engine.scheduler(), id).isCompleted().hasResult("total", 42L).ranSteps("price", "send", "paid?", "done");
            assertThatThrownBy(() -> OperationAssert.assertThat(engine.scheduler(), id).hasResult("total", 41L))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("to have result total = 41 but it is 42");
            assertThatThrownBy(() -> OperationAssert.assertThat(engine.scheduler(), id).isFailedWith("mail"))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("it is COMPLETED at step 'done'");
        }
    }
}

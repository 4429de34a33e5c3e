package io.durableops.core;

import io.durableops.core.test.Journal;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's behaviour against a real database, run without threads: a {@link ManualDispatcher} runs what is due
 * and a {@link MutableClock} moves time. Every database runs this same suite through a small subclass.
 */
abstract class EngineContractTest extends EngineTestBase {
    @Test
    void threeStepsRunInOrderAndComplete() {
        start(define("three", f -> f
                .action("a", record(journal, "a"))
                .action("b", record(journal, "b"))
                .action("c", record(journal, "c"))
                .result("done")));
        OperationId id = scheduler().enqueue("three", Map.of());
        runToEnd();

        assertThat(journal.entries()).containsExactly("a", "b", "c");
        OperationView op = scheduler().get(id);
        assertThat(op.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(op.currentStep()).isEqualTo("done");
        assertThat(op.finishedAt()).isPresent();
        List<AttemptView> attempts = scheduler().attempts(id);
        assertThat(attempts).extracting(AttemptView::step).containsExactly("a", "b", "c", "done");
        assertThat(attempts).extracting(AttemptView::status).containsOnly(AttemptStatus.SUCCEEDED);
        assertThat(attempts).extracting(AttemptView::attemptCount).containsOnly(1);
        assertThat(dispatcher.dispatched()).hasSize(4);
    }

    @Test
    void aStepThatFailsTwiceThenSucceedsIsCountedAndItsErrorsKept() {
        AtomicInteger tries = new AtomicInteger();
        start(define("flaky", f -> f
                .action("first", record(journal, "first"))
                .action("flaky", ctx -> {
                    journal.ran("flaky");
                    if (tries.incrementAndGet() <= 2) throw new IllegalStateException("provider down, try " + tries.get());
                }, StepOptions.retry(quickRetries(5)))
                .result("done")));
        OperationId id = scheduler().enqueue("flaky", Map.of());
        runToEnd();

        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.count("first")).isEqualTo(1);
        assertThat(journal.count("flaky")).isEqualTo(3);
        AttemptView flaky = scheduler().attempts(id).get(1);
        assertThat(flaky.step()).isEqualTo("flaky");
        assertThat(flaky.attemptCount()).isEqualTo(3);
        assertThat(flaky.status()).isEqualTo(AttemptStatus.SUCCEEDED);
        assertThat(flaky.errors()).hasSize(2);
        assertThat(flaky.errors()).extracting(ErrorView::attempt).containsExactly(1, 2);
        assertThat(flaky.errors().get(0).errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(flaky.errors().get(0).message()).isEqualTo("provider down, try 1");
        assertThat(flaky.errors().get(1).stackTrace()).contains("provider down, try 2").contains("at io.durableops");
    }

    @Test
    void retriesAreSpacedByTheRetryPolicy() {
        start(define("spaced", f -> f
                .action("fails", ctx -> { throw new IllegalStateException("no"); },
                        StepOptions.retry(RetryPolicy.exponential(3).withInitialDelay(Duration.ofSeconds(10)).withJitter(0)))
                .result("done")));
        OperationId id = scheduler().enqueue("spaced", Map.of());
        dispatcher.runDue();
        assertThat(dispatcher.pending()).singleElement().satisfies(r -> assertThat(r.runAt()).isEqualTo(clock.instant().plusSeconds(10)));
        clock.advance(Duration.ofSeconds(9));
        assertThat(dispatcher.runDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(dispatcher.runDue()).isEqualTo(1);
        assertThat(dispatcher.pending()).singleElement().satisfies(r -> assertThat(r.runAt()).isEqualTo(clock.instant().plusSeconds(20)));
        clock.advance(Duration.ofSeconds(20));
        dispatcher.runDue();
        OperationView op = scheduler().get(id);
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.failureReason()).hasValue("step 'fails' failed after 3 attempts with java.lang.IllegalStateException");
    }

    @Test
    void aFailedOperationIsRetriedFromTheFailedStepWithoutRerunningEarlierSteps() {
        AtomicInteger tries = new AtomicInteger();
        start(define("fails", f -> f
                .action("reserve", ctx -> {
                    journal.ran("reserve");
                    ctx.pass("orderId", ctx.get("orderId", Integer.class));
                })
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (tries.incrementAndGet() <= 2) throw new IllegalStateException("card declined");
                    ctx.set("charged", true);
                }, StepOptions.retry(quickRetries(2)))
                .action("ship", record(journal, "ship"))
                .result("done", (ctx, results) -> results.put("charged", ctx.get("charged", Boolean.class)))));
        OperationId id = scheduler().enqueue("fails", Map.of("orderId", 7));
        runToEnd();

        OperationView failed = scheduler().get(id);
        assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(failed.currentStep()).isEqualTo("charge");
        assertThat(failed.failureReason()).hasValue("step 'charge' failed after 2 attempts with java.lang.IllegalStateException");
        assertThat(scheduler().attempts(id).get(1).status()).isEqualTo(AttemptStatus.FAILED);

        scheduler().retry(id);
        runToEnd();

        OperationView done = scheduler().get(id);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.failureReason()).isEmpty();
        assertThat(done.results().get("charged", Boolean.class)).isTrue();
        assertThat(journal.entries()).containsExactly("reserve", "charge", "charge", "charge", "ship");
        AttemptView charge = scheduler().attempts(id).get(1);
        assertThat(charge.attemptCount()).isEqualTo(3);
        assertThat(charge.errors()).hasSize(2);
        assertThat(charge.args().get("orderId", Integer.class)).as("recorded args survive the retry").isEqualTo(7);
    }

    @Test
    void retryIsRefusedForRunningAndCompletedOperations() {
        start(define("one", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id = scheduler().enqueue("one", Map.of());
        assertThatThrownBy(() -> scheduler().retry(id)).isInstanceOf(IllegalOperationStateException.class).hasMessageContaining("RUNNING");
        runToEnd();
        assertThatThrownBy(() -> scheduler().retry(id)).isInstanceOf(IllegalOperationStateException.class).hasMessageContaining("COMPLETED");
        assertThatThrownBy(() -> scheduler().retry(OperationId.random())).isInstanceOf(OperationNotFoundException.class);
    }

    @Test
    void branchesJumpsDecisionsAndResults() {
        start(define("subscription", f -> f
                .requires("subscriptionId", "plan")
                .action("charge-card", ctx -> {
                    journal.ran("charge-card");
                    ctx.set("chargeId", "ch_" + ctx.get("subscriptionId", Long.class));
                    if (ctx.get("plan", String.class).equals("green")) ctx.jumpTo("green");
                })
                .decision("which-plan", ctx -> ctx.get("plan", String.class).equals("red"), "setup-red", "setup-blue")
                .branch("red").action("setup-red", ctx -> journal.ran("setup-red"), StepOptions.then("send-receipt"))
                .branch("blue").action("setup-blue", ctx -> journal.ran("setup-blue"), StepOptions.then("send-receipt"))
                .branch("green").action("setup-green", ctx -> {
                    journal.ran("setup-green");
                    ctx.jumpTo("main", "send-receipt");
                }, StepOptions.then("done"))
                .branch("main")
                .action("send-receipt", record(journal, "send-receipt"))
                .result("done", (ctx, results) -> results.put("chargeId", ctx.get("chargeId", String.class)).put("plan", ctx.get("plan", String.class)))));

        OperationId red = scheduler().enqueue("subscription", Map.of("subscriptionId", 42, "plan", "red"));
        OperationId blue = scheduler().enqueue("subscription", Map.of("subscriptionId", 43, "plan", "blue"));
        OperationId green = scheduler().enqueue("subscription", Map.of("subscriptionId", 44, "plan", "green"));
        runToEnd();

        assertThat(scheduler().attempts(red)).extracting(AttemptView::step)
                .containsExactly("charge-card", "which-plan", "setup-red", "send-receipt", "done");
        assertThat(scheduler().attempts(blue)).extracting(AttemptView::step)
                .containsExactly("charge-card", "which-plan", "setup-blue", "send-receipt", "done");
        assertThat(scheduler().attempts(green)).extracting(AttemptView::step)
                .containsExactly("charge-card", "setup-green", "send-receipt", "done");
        OperationView redView = scheduler().get(red);
        assertThat(redView.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(redView.results().get("chargeId", String.class)).isEqualTo("ch_42");
        assertThat(redView.results().asMap()).containsEntry("plan", "red");
        assertThat(scheduler().get(green).results().get("chargeId", String.class)).isEqualTo("ch_44");
    }

    @Test
    void globalsAreTypedAndSavedOnlyWhenTheStepCompletes() {
        record Item(String sku, int quantity) {
        }
        AtomicInteger tries = new AtomicInteger();
        start(define("globals", f -> f
                .action("write", ctx -> {
                    ctx.set("items", List.of(new Item("a", 1), new Item("b", 2)));
                    ctx.set("at", ctx.now());
                })
                .action("half-then-fail", ctx -> {
                    if (tries.get() > 0) {
                        assertThat(ctx.find("partial", String.class)).as("changes of a failed try are discarded").isEmpty();
                    }
                    ctx.set("partial", "saved once the step succeeds");
                    if (tries.incrementAndGet() == 1) throw new IllegalStateException("boom");
                    ctx.pass("note", "for the next step only");
                }, StepOptions.retry(quickRetries(3)))
                .result("done", (ctx, results) -> {
                    List<Item> items = ctx.get("items", new com.fasterxml.jackson.core.type.TypeReference<List<Item>>() { });
                    results.put("total", items.stream().mapToInt(Item::quantity).sum());
                    results.put("note", ctx.args().get("note", String.class));
                    results.put("at", ctx.get("at", Instant.class));
                })));
        OperationId id = scheduler().enqueue("globals", Map.of());
        runToEnd();
        OperationView op = scheduler().get(id);
        assertThat(op.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(op.results().get("total", Integer.class)).isEqualTo(3);
        assertThat(op.results().get("note", String.class)).isEqualTo("for the next step only");
        assertThat(op.results().get("at", Instant.class)).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(op.globals().get("partial", String.class)).isEqualTo("saved once the step succeeds");
        assertThat(tries.get()).isEqualTo(2);
    }

    @Test
    void delayedStepsWaitForTheirTime() {
        start(define("delayed", f -> f
                .action("charge", ctx -> journal.ran("charge"))
                .action("send-receipt", ctx -> journal.ran("send-receipt"), StepOptions.delay(Duration.ofMinutes(10)))
                .action("computed", ctx -> {
                    journal.ran("computed");
                    ctx.runNextAt(ctx.now().plus(Duration.ofHours(2)));
                })
                .action("after-computed", ctx -> journal.ran("after-computed"))
                .result("done")));
        OperationId id = scheduler().enqueue("delayed", Map.of());
        Instant start = clock.instant();
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("charge");
        AttemptView receipt = scheduler().attempts(id).get(1);
        assertThat(receipt.status()).isEqualTo(AttemptStatus.SCHEDULED);
        assertThat(receipt.scheduledAt()).isEqualTo(start.plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("charge");
        clock.advance(Duration.ofSeconds(1));
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("charge", "send-receipt", "computed");

        clock.advance(Duration.ofHours(2).minusSeconds(1));
        dispatcher.runDue();
        assertThat(journal.entries()).doesNotContain("after-computed");
        clock.advance(Duration.ofSeconds(1));
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("charge", "send-receipt", "computed", "after-computed");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id).get(1).startedAt()).hasValue(start.plus(Duration.ofMinutes(10)));
    }

    @Test
    void scheduledOperationsAndRunNow() {
        start(define("later", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id = scheduler().schedule("later", Map.of(), Duration.ofDays(3));
        dispatcher.runDue();
        assertThat(journal.entries()).isEmpty();
        scheduler().runNow(id);
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("a");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        clock.advance(Duration.ofDays(3));
        assertThat(dispatcher.runDue()).as("the stale dispatch of the old generation is a no-op").isEqualTo(1);
        assertThat(journal.entries()).containsExactly("a");
    }

    @Test
    void anExpiredAttemptNeverRuns() {
        start(define("expire", f -> f.action("a", record(journal, "a"))
                .action("later", record(journal, "later"), StepOptions.delay(Duration.ofHours(1))).result("done")));
        OperationId id = scheduler().enqueue("expire", Map.of());
        dispatcher.runDue();
        scheduler().expire(id);
        clock.advance(Duration.ofHours(2));
        dispatcher.runDue();
        runToEnd();
        assertThat(journal.entries()).containsExactly("a");
        OperationView op = scheduler().get(id);
        assertThat(op.status()).isEqualTo(OperationStatus.EXPIRED);
        AttemptView later = scheduler().attempts(id).get(1);
        assertThat(later.status()).isEqualTo(AttemptStatus.EXPIRED);
        assertThat(later.startedAt()).isEmpty();
        assertThat(later.attemptCount()).isZero();
    }

    @Test
    void failAndCancelCarryTheirReasonAndStopTheFlow() {
        start(define("stoppable", f -> f.action("a", record(journal, "a"))
                .action("b", record(journal, "b"), StepOptions.delay(Duration.ofMinutes(5))).result("done")));
        OperationId failed = scheduler().enqueue("stoppable", Map.of());
        OperationId cancelled = scheduler().enqueue("stoppable", Map.of());
        dispatcher.runDue();
        scheduler().fail(failed, "customer asked us to stop");
        scheduler().cancel(cancelled);
        assertThatThrownBy(() -> scheduler().cancel(cancelled)).isInstanceOf(IllegalOperationStateException.class);
        runToEnd();
        assertThat(journal.entries()).containsExactly("a", "a");
        assertThat(scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(failed).failureReason()).hasValue("customer asked us to stop");
        assertThat(scheduler().attempts(failed).get(1).reason()).hasValue("customer asked us to stop");
        assertThat(scheduler().get(cancelled).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(scheduler().attempts(cancelled).get(1).status()).isEqualTo(AttemptStatus.CANCELLED);
    }

    @Test
    void failWithAndFailureStepsFailWithoutRetries() {
        start(define("guarded", f -> f
                .requires("user")
                .decision("authorised?", ctx -> !ctx.get("user", String.class).equals("mallory"), "within-limit?", "unauthorised")
                .decision("within-limit?", ctx -> !ctx.get("user", String.class).equals("greedy"), "prepare", "limit")
                .action("prepare", ctx -> {
                    if (ctx.get("user", String.class).equals("odd")) ctx.failWith("odd users cannot download");
                    journal.ran("prepare");
                })
                .result("done")
                .failure("unauthorised", "unauthorised")
                .action("limit", ctx -> ctx.failWith("download_limit_reached"), StepOptions.then("done"))));
        OperationId mallory = scheduler().enqueue("guarded", Map.of("user", "mallory"));
        OperationId greedy = scheduler().enqueue("guarded", Map.of("user", "greedy"));
        OperationId odd = scheduler().enqueue("guarded", Map.of("user", "odd"));
        OperationId alice = scheduler().enqueue("guarded", Map.of("user", "alice"));
        runToEnd();
        assertThat(scheduler().get(mallory).failureReason()).hasValue("unauthorised");
        assertThat(scheduler().get(mallory).currentStep()).isEqualTo("unauthorised");
        assertThat(scheduler().get(greedy).failureReason()).hasValue("download_limit_reached");
        assertThat(scheduler().get(odd).failureReason()).hasValue("odd users cannot download");
        assertThat(scheduler().attempts(odd).get(2).attemptCount()).as("no retry").isEqualTo(1);
        assertThat(scheduler().get(alice).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void nonRetryableExceptionsFailAtOnce() {
        start(define("strict", f -> f
                .action("a", ctx -> { throw new IllegalArgumentException("bad card number"); },
                        StepOptions.retry(RetryPolicy.exponential(10).withNonRetryable(IllegalArgumentException.class)))
                .result("done")));
        OperationId id = scheduler().enqueue("strict", Map.of());
        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(id).failureReason()).hasValue("step 'a' failed after 1 attempt with java.lang.IllegalArgumentException (not retryable)");
        assertThat(scheduler().attempts(id).get(0).errors()).singleElement().satisfies(e -> assertThat(e.message()).isEqualTo("bad card number"));
    }

    @Test
    void goToAnUnknownStepFailsTheOperationWithAClearReason() {
        start(define("lost", f -> f.action("a", ctx -> ctx.goTo("nowhere")).result("done")));
        OperationId id = scheduler().enqueue("lost", Map.of());
        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(id).failureReason().orElseThrow())
                .contains("goTo(\"nowhere\")").contains("known steps: a, done");
    }

    @Test
    void noPlaintextOfInputGlobalsArgsOrResultsIsStored() throws Exception {
        String marker = "S3CRET-MARKER-4242";
        start(define("secret", f -> f
                .action("a", ctx -> {
                    ctx.set("copy", ctx.get("card", String.class) + "-global");
                    ctx.pass("arg", marker + "-arg");
                })
                .action("b", ctx -> { throw new IllegalStateException("declined " + ctx.args().get("arg", String.class)); },
                        StepOptions.retry(RetryPolicy.none()))
                .result("done")),
                define("told", f -> f.action("a", ctx -> ctx.failWith("refused: " + ctx.get("card", String.class))).result("done")));
        OperationId id = scheduler().enqueue("secret", Map.of("card", marker));
        // a reason a step gives is stored in clear (operators read it in lists), but not logged: another marker
        OperationId told = scheduler().enqueue("told", Map.of("card", "S3CRET-MARKER-7777-reason"));
        runToEnd(); // the logs of this run must not show either marker: .ci/run looks for them in every module's test log
        assertThat(scheduler().get(told).failureReason()).hasValue("refused: S3CRET-MARKER-7777-reason");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(id).globals().get("copy", String.class)).isEqualTo(marker + "-global");
        assertThat(scheduler().attempts(id).get(1).errors().get(0).message()).contains(marker);

        List<String> leaks = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("durable_operations", "durable_attempts", "durable_attempt_errors")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            String text = value instanceof byte[] raw ? new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(value);
                            if (text.contains(marker)) {
                                leaks.add(table + "." + meta.getColumnName(i));
                            }
                        }
                    }
                }
            }
        }
        assertThat(leaks).as("columns holding the marker in clear").isEmpty();
    }

    @Test
    void theWrongKeyFailsTheOperationWithAClearDecryptionReason() {
        start(define("keyed", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id = scheduler().enqueue("keyed", Map.of("card", "4242"));
        ops.close();

        start(AesGcmEncryptor.of("k2", AesGcmEncryptor.generateKey()), define("keyed", f -> f.action("a", record(journal, "a")).result("done")));
        assertThat(dispatcher.runDue()).isEqualTo(1);
        runToEnd();
        OperationView op = scheduler().get(id);
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.failureReason().orElseThrow()).contains("cannot decrypt the globals of operation " + id)
                .contains("key id 'k1', which is not configured");
        assertThat(journal.entries()).isEmpty();
        assertThatThrownBy(() -> op.globals().keys()).isInstanceOf(DecryptionException.class);
        assertThat(scheduler().attempts(id).get(0).status()).isEqualTo(AttemptStatus.FAILED);
    }

    @Test
    void theRelayDispatchesAnAttemptThatWasCommittedButNeverDispatched() {
        start(define("relayed", f -> f.action("a", record(journal, "a")).action("b", record(journal, "b")).result("done")));
        OperationId id = scheduler().enqueue("relayed", Map.of());
        dispatcher.dropPending(); // the process that would have run it died right after the commit
        assertThat(ops.relayNow()).as("within the dispatch grace the relay leaves it alone").isZero();
        assertThat(dispatcher.runDue()).isZero();

        // the dispatch was recorded as done; simulate a crash between commit and dispatch by clearing the mark
        markUndispatched(id);
        clock.advance(Duration.ofSeconds(6));
        assertThat(ops.relayNow()).isEqualTo(1);
        runToEnd();
        assertThat(journal.entries()).containsExactly("a", "b");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aRunnerThatDiesMidStepIsRecoveredAfterItsLease() {
        start(define("leased", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id = scheduler().enqueue("leased", Map.of());
        // a node claimed the attempt and died: RUNNING with a lease that is about to run out
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET status = 'RUNNING', attempt_count = 1, lease_until = ? WHERE operation_id = ?")) {
            ps.setObject(1, LocalDateTime.ofInstant(clock.instant().plusSeconds(60), ZoneOffset.UTC));
            ps.setString(2, id.toString());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(dispatcher.runDue()).as("the original dispatch cannot claim a RUNNING attempt").isEqualTo(1);
        assertThat(journal.entries()).isEmpty();
        assertThat(ops.relayNow()).isZero();
        clock.advance(Duration.ofSeconds(61));
        assertThat(ops.relayNow()).isEqualTo(1);
        runToEnd();
        assertThat(journal.entries()).containsExactly("a");
        assertThat(scheduler().attempts(id).get(0).attemptCount()).isEqualTo(2);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void badEnqueuesThrowSpecificExceptionsAndStoreNothing() throws Exception {
        start(define("needs", f -> f.requires("subscriptionId").action("a", record(journal, "a")).result("done")));
        assertThatThrownBy(() -> scheduler().enqueue("no-such-definition", Map.of("subscriptionId", 1)))
                .isInstanceOf(UnknownDefinitionException.class).hasMessageContaining("'no-such-definition'").hasMessageContaining("[needs]");
        assertThatThrownBy(() -> scheduler().enqueue("needs", Map.of("other", 1)))
                .isInstanceOf(MissingInputException.class).hasMessageContaining("[subscriptionId]");
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("subscriptionId", null);
        assertThatThrownBy(() -> scheduler().enqueue("needs", nulls)).isInstanceOf(MissingInputException.class);
        assertThatThrownBy(() -> scheduler().enqueue("needs", Map.of("subscriptionId", 1, "stream", new Object())))
                .isInstanceOf(SerializationException.class).hasMessageContaining("input 'stream'");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM durable_operations) + (SELECT COUNT(*) FROM durable_attempts)")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThat(dispatcher.dispatched()).isEmpty();
    }

    @Test
    void timestampsAreStoredInUtcWhateverTheSessionZone() throws Exception {
        start(define("utc", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id = scheduler().enqueue("utc", Map.of());
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT created_at FROM durable_operations WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2026-11-21T10:00:00"));
            }
        }
        assertThat(scheduler().get(id).createdAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    }

    @Test
    void theFastPathRunsDueStepsInOneWorkerEachRecordedBeforeTheNextAndHandsBack() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(3, Duration.ofMinutes(1)), define("six", f -> f
                .action("a", record(journal, "a"))
                .action("b", ctx -> {
                    journal.ran("b");
                    ctx.set("seen", ctx.get("fromA", String.class));
                })
                .action("c", record(journal, "c"))
                .action("d", record(journal, "d"))
                .action("e", record(journal, "e"), StepOptions.delay(Duration.ofMinutes(1)))
                .action("f", record(journal, "f"))
                .result("done", (ctx, results) -> results.put("seen", ctx.get("seen", String.class)))),
                define("off", f -> f.fastPath(FastPath.off()).action("x", record(journal, "x")).action("y", record(journal, "y")).result("done")));
        OperationId id = scheduler().enqueue("six", Map.of("fromA", "hello"));
        OperationId off = scheduler().enqueue("off", Map.of());
        runToEnd();

        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().get(id).results().get("seen", String.class)).isEqualTo("hello");
        List<AttemptView> attempts = scheduler().attempts(id);
        assertThat(attempts).extracting(AttemptView::status).containsOnly(AttemptStatus.SUCCEEDED);
        assertThat(attempts).extracting(AttemptView::attemptCount).containsOnly(1);
        // a b c in one worker (3 steps), d alone (e is delayed: never run directly), then e f done (3 steps)
        assertThat(dispatcher.dispatched().stream().filter(r -> r.operationId().equals(id.value())).map(r -> r.step()))
                .containsExactly("a", "d", "e");
        assertThat(dispatcher.dispatched().stream().filter(r -> r.operationId().equals(off.value())).map(r -> r.step()))
                .as("a definition can switch the fast path off").containsExactly("x", "y", "done");
        assertThat(scheduler().attempts(id).get(4).startedAt()).hasValue(attempts.get(3).finishedAt().orElseThrow().plus(Duration.ofMinutes(1)));
    }

    @Test
    void aStepRunOnTheFastPathIsCommittedAsClaimedBeforeItsCodeRunsSoALeaseCanRecoverIt() {
        List<String> seenInside = new ArrayList<>();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(8, Duration.ofMinutes(1)), define("claimed", f -> f
                .action("a", record(journal, "a"))
                .action("b", ctx -> {
                    // read with another connection: only what is committed is visible
                    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                            "SELECT status, dispatch_pending, lease_until FROM durable_attempts WHERE operation_id = ? AND step = 'b'")) {
                        ps.setString(1, ctx.operationId().toString());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            seenInside.add(rs.getString(1) + " pending=" + rs.getInt(2) + " leased=" + (rs.getObject(3) != null));
                        }
                    }
                })
                .result("done")));
        OperationId id = scheduler().enqueue("claimed", Map.of());
        runToEnd();
        assertThat(seenInside).containsExactly("RUNNING pending=0 leased=true");
        assertThat(dispatcher.dispatched()).hasSize(1);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        // and a RUNNING attempt whose worker died is scheduled again once its lease ends:
        // see aRunnerThatDiesMidStepIsRecoveredAfterItsLease
    }

    @Test
    void aTurnWhoseStepOutlivesItsLeaseStopsThereAndTheRecoveredOperationRunsOnOnce() throws Exception {
        Gate gate = new Gate();
        java.util.concurrent.atomic.AtomicInteger runsOfB = new java.util.concurrent.atomic.AtomicInteger();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), define("stalls", f -> f
                .action("a", record(journal, "a"))
                .action("b", ctx -> {
                    journal.ran("b");
                    if (runsOfB.incrementAndGet() == 1) { // the first run stalls past its lease, mid-turn
                        gate.hold();
                    }
                })
                .action("c", record(journal, "c"))
                .result("done")));
        OperationId id = scheduler().enqueue("stalls", Map.of());
        whileAWorkerHolds(gate, () -> {
            clock.advance(Duration.ofSeconds(61));
            assertThat(ops.relayNow()).as("b's lease ran out: scheduled again").isEqualTo(1);
            assertThat(scheduler().get(id).currentStep()).as("the operation row points at the recovered attempt").isEqualTo("b");
        }); // released, the stalled completion of b finds the operation taken over, and keeps nothing
        runToEnd();
        assertThat(journal.entries()).containsExactly("a", "b", "b", "c");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id)).as("one c: the stalled worker's successor of b was not kept")
                .extracting(AttemptView::step).containsExactly("a", "b", "c", "done");
        assertThat(scheduler().attempts(id)).extracting(AttemptView::status).containsOnly(AttemptStatus.SUCCEEDED);
        assertThat(scheduler().attempts(id).get(1).attemptCount()).isEqualTo(2);
    }

    @Test
    void theStepsOfATurnReadAsSucceededWhileItRunsAndAreStoredAsSucceededWhenItEnds() throws Exception {
        Gate gate = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), define("reads", f -> f
                .action("a", record(journal, "a"))
                .action("b", record(journal, "b"))
                .action("c", ctx -> gate.hold())
                .action("d", record(journal, "d"))
                .result("done")));
        OperationId id = scheduler().enqueue("reads", Map.of());
        whileAWorkerHolds(gate, () -> {
            List<AttemptView> midTurn = scheduler().attempts(id);
            assertThat(midTurn).extracting(AttemptView::status)
                    .containsExactly(AttemptStatus.SUCCEEDED, AttemptStatus.SUCCEEDED, AttemptStatus.RUNNING);
            assertThat(midTurn.get(0).finishedAt()).as("finished when b was recorded").hasValue(midTurn.get(1).scheduledAt());
            assertThat(midTurn.get(2).finishedAt()).isEmpty();
        });
        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(storedAttempts(id)).as("as stored, not only as read")
                .containsOnly("SUCCEEDED finished=true leased=false");
    }

    @Test
    void anAttemptBeforeATurnsRunningStepWhoseLeaseRanOutIsSettledNotRecoveredAndTheTurnGoesOn() throws Exception {
        Gate gate = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(10)), define("long-turn", f -> f
                .action("a", ctx -> {
                    journal.ran("a");
                    clock.advance(Duration.ofSeconds(30)); // b is claimed 30 s after a, and so is its lease
                })
                .action("b", gate.after(record(journal, "b")))
                .action("c", record(journal, "c"))
                .result("done")));
        OperationId id = scheduler().enqueue("long-turn", Map.of());
        whileAWorkerHolds(gate, () -> {
            clock.advance(Duration.ofSeconds(31)); // a's lease has run out, b's has not
            assertThat(ops.relayNow()).as("a succeeded: nothing to recover").isZero();
            assertThat(storedAttempts(id).get(0)).isEqualTo("SUCCEEDED finished=true leased=false");
        });
        runToEnd();
        assertThat(journal.entries()).as("the turn was not taken over: b ran once").containsExactly("a", "b", "c");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id)).extracting(AttemptView::attemptCount).containsOnly(1);
    }

    /** Each attempt of {@code id} as its row stands, in visit order: status, and whether finished_at and lease_until are set. */
    private List<String> storedAttempts(OperationId id) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, finished_at, lease_until FROM durable_attempts WHERE operation_id = ? ORDER BY visit")) {
            ps.setString(1, id.toString());
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " finished=" + (rs.getObject(2) != null) + " leased=" + (rs.getObject(3) != null));
                }
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void globalsSetOnATurnAreKeptWhenItsOperationIsRecoveredMidTurn() throws Exception {
        Gate gate = new Gate();
        java.util.concurrent.atomic.AtomicInteger runsOfB = new java.util.concurrent.atomic.AtomicInteger();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), define("carries", f -> f
                .action("a", ctx -> ctx.set("x", 1))
                .action("b", ctx -> {
                    ctx.set("y", ctx.get("x", Integer.class) + 1);
                    if (runsOfB.incrementAndGet() == 1) { // stalls past its lease after a set x, mid-turn
                        gate.hold();
                    }
                })
                .action("c", ctx -> ctx.set("z", ctx.get("y", Integer.class) + 1))
                .result("done", (ctx, results) -> results.put("x", ctx.get("x", Integer.class)).put("y", ctx.get("y", Integer.class))
                        .put("z", ctx.get("z", Integer.class)))));
        OperationId id = scheduler().enqueue("carries", Map.of());
        whileAWorkerHolds(gate, () -> {
            clock.advance(Duration.ofSeconds(61));
            assertThat(ops.relayNow()).isEqualTo(1);
            assertThat(scheduler().get(id).globals().get("x", Integer.class)).as("the operation row took over what a set").isEqualTo(1);
        });
        runToEnd();
        OperationView done = scheduler().get(id);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.results().get("x", Integer.class)).isEqualTo(1);
        assertThat(done.results().get("y", Integer.class)).isEqualTo(2);
        assertThat(done.results().get("z", Integer.class)).isEqualTo(3);
        assertThat(done.globals().get("z", Integer.class)).as("and the row caught up with the end").isEqualTo(3);
        assertThat(runsOfB.get()).isEqualTo(2);
        assertThat(scheduler().attempts(id)).extracting(AttemptView::step).containsExactly("a", "b", "c", "done");
    }

    @Test
    void anOperationCancelledMidTurnStopsAfterTheRunningStepAndPointsAtIt() throws Exception {
        Gate gate = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), define("cancelled", f -> f
                .action("a", record(journal, "a"))
                .action("b", record(journal, "b"))
                .action("c", gate.after(record(journal, "c")))
                .action("d", record(journal, "d"))
                .result("done")));
        OperationId id = scheduler().enqueue("cancelled", Map.of());
        whileAWorkerHolds(gate, () -> {
            scheduler().cancel(id);
        });
        runToEnd();
        assertThat(journal.entries()).containsExactly("a", "b", "c");
        OperationView cancelled = scheduler().get(id);
        assertThat(cancelled.status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(cancelled.currentStep()).as("the step it was cancelled at").isEqualTo("c");
        assertThat(scheduler().attempts(id)).extracting(AttemptView::step).containsExactly("a", "b", "c");
        assertThat(scheduler().attempts(id)).extracting(AttemptView::status)
                .containsExactly(AttemptStatus.SUCCEEDED, AttemptStatus.SUCCEEDED, AttemptStatus.CANCELLED);
    }

    @Test
    void aStepTimedOutMidTurnLeavesTheOperationAtThatStepForItsRetry() {
        java.util.concurrent.atomic.AtomicInteger runsOfB = new java.util.concurrent.atomic.AtomicInteger();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), define("times-out", f -> f
                .action("a", record(journal, "a"))
                .action("b", ctx -> {
                    journal.ran("b");
                    if (runsOfB.incrementAndGet() == 1) new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                }, StepOptions.timeout(Duration.ofMillis(300)).andRetry(RetryPolicy.fixed(2, Duration.ofHours(1))))
                .action("c", record(journal, "c"))
                .result("done")));
        OperationId id = scheduler().enqueue("times-out", Map.of());
        dispatcher.runDue(); // a, then b in the same turn until the watchdog records its timeout
        assertThat(scheduler().get(id).currentStep()).as("where its retry waits").isEqualTo("b");
        scheduler().runNow(id); // an operator does not wait the hour: the scheduled retry is found from the operation
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("a", "b", "b", "c");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id)).extracting(AttemptView::step).containsExactly("a", "b", "c", "done");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aTurnsFirstStepThatOutlivesItsTimeoutLeavesNoSuccessorBehind() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger runsOfA = new java.util.concurrent.atomic.AtomicInteger();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), define("overruns", f -> f
                .action("a", ctx -> {
                    journal.ran("a");
                    if (runsOfA.incrementAndGet() > 1) return;
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        release.await(); // code that ignores the interrupt and finishes after all
                    }
                }, StepOptions.timeout(Duration.ofMillis(300)).andRetry(RetryPolicy.fixed(2, Duration.ofSeconds(1))))
                .action("b", record(journal, "b"))
                .result("done")));
        OperationId id = scheduler().enqueue("overruns", Map.of());
        whileAWorkerRuns(release, () -> org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                scheduler().attempts(id).get(0).status() == AttemptStatus.SCHEDULED)); // the timeout is recorded
        // released, a returned: its completion was no longer its own to record
        assertThat(scheduler().attempts(id)).as("no b from the overrun try").extracting(AttemptView::step).containsExactly("a");
        runToEnd();
        assertThat(journal.entries()).containsExactly("a", "a", "b");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id)).extracting(AttemptView::step).containsExactly("a", "b", "done");
        assertThat(scheduler().attempts(id).get(0).attemptCount()).isEqualTo(2);
    }

    @Test
    void globalsAStepDidNotChangeAreKeptAsStoredNotEncryptedAgain() {
        List<String> storedAtStart = new ArrayList<>();
        Action readStored = ctx -> storedAtStart.add(java.util.HexFormat.of().formatHex(storedGlobals(ctx.operationId())));
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(8, Duration.ofMinutes(1)), define("keeps", f -> f
                .action("a", readStored)
                .action("b", ctx -> {
                    readStored.run(ctx);
                    ctx.remove("absent"); // removing what is not there changes nothing
                })
                .action("c", ctx -> {
                    readStored.run(ctx);
                    ctx.set("x", 1);
                })
                .action("d", readStored)
                .result("done", (ctx, results) -> results.put("x", ctx.get("x", Integer.class)).put("in", ctx.get("in", String.class)))));
        OperationId id = scheduler().enqueue("keeps", Map.of("in", "v"));
        runToEnd();

        assertThat(scheduler().get(id).results().get("x", Integer.class)).isEqualTo(1);
        assertThat(scheduler().get(id).results().get("in", String.class)).isEqualTo("v");
        assertThat(storedAtStart).hasSize(4);
        assertThat(storedAtStart.subList(0, 3)).as("a and b changed nothing: the bytes stored at enqueue stay").containsOnly(storedAtStart.get(0));
        assertThat(storedAtStart.get(3)).as("c set a global: encrypted again").isNotEqualTo(storedAtStart.get(0));
    }

    /** The encrypted globals the running attempt of {@code id} starts from: its own if it carries them, or its operation's. */
    private byte[] storedGlobals(OperationId id) {
        try (Connection c = db.dataSource().getConnection();
             // why the latest visit: the attempts of steps recorded alone stay RUNNING until their turn ends
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(a.globals, o.globals) FROM durable_operations o "
                     + "JOIN durable_attempts a ON a.operation_id = o.id AND a.status = 'RUNNING' WHERE o.id = ? ORDER BY a.visit DESC")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void newOperationsEnqueuedWhileAWorkerRunsStepsAreRunByThatWorkerWithoutADispatch() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("starter", f -> f.action("enqueue", ctx -> {
                    for (int n = 0; n < 3; n++) ops.scheduler().enqueue("new", Map.of("n", n)); // an application thread would do the same
                }).result("done")),
                define("new", f -> f.requires("n")
                        .action("a", ctx -> journal.ran("a" + ctx.get("n", Integer.class)))
                        .action("b", ctx -> ctx.set("doubled", 2 * ctx.get("n", Integer.class)))
                        .result("done", (ctx, results) -> results.put("doubled", ctx.get("doubled", Integer.class)))));
        OperationId starter = scheduler().enqueue("starter", Map.of());
        runToEnd();

        assertThat(journal.entries()).containsExactly("a0", "a1", "a2");
        List<OperationView> started = ops.admin().list(OperationQuery.builder().definition("new").build()).items().stream()
                .map(summary -> scheduler().get(summary.id())).toList();
        assertThat(started).hasSize(3).extracting(OperationView::status).containsOnly(OperationStatus.COMPLETED);
        assertThat(started).extracting(op -> op.results().get("doubled", Integer.class)).containsExactlyInAnyOrder(0, 2, 4);
        for (OperationView op : started) {
            assertThat(scheduler().attempts(op.id())).hasSize(3).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(AttemptStatus.SUCCEEDED);
                assertThat(a.attemptCount()).isEqualTo(1);
            });
        }
        assertThat(scheduler().get(starter).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(dispatcher.dispatched()).as("only the starter went through the dispatcher")
                .extracting(r -> r.operationId()).containsExactly(starter.value());
    }

    @Test
    void newOperationsStartTurnsOfTheirOwnUntilTheWantedNumberRunsThenWaitForARunningOne() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 3,
                define("starter", f -> f.action("enqueue", ctx -> {
                    for (int n = 0; n < 5; n++) ops.scheduler().enqueue("new", Map.of("n", n));
                }).result("done")),
                numbered("new"));
        OperationId starter = scheduler().enqueue("starter", Map.of());
        dispatcher.runDue(); // the starter's turn: it enqueues five and runs what was kept for it; then the dispatched ones

        assertThat(dispatcher.dispatched()).extracting(r -> r.step())
                .as("one turn ran: two new operations were dispatched to start turns of their own, three waited for it")
                .containsExactly("enqueue", "a", "a");
        assertThat(journal.entries()).as("the kept ones in the starter's turn, in the order enqueued; then the dispatched ones")
                .containsExactly("a2", "a3", "a4", "a0", "a1");
        assertThat(ops.admin().list(OperationQuery.builder().definition("new").build()).items())
                .hasSize(5).extracting(OperationSummary::status).containsOnly(OperationStatus.COMPLETED);
        assertThat(scheduler().get(starter).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void whileNoTurnRunsOnTheNodeEveryNewOperationIsDispatchedAtOnce() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                numbered("new"));
        for (int n = 0; n < 3; n++) scheduler().enqueue("new", Map.of("n", n)); // as on a node that only enqueues

        assertThat(dispatcher.dispatched()).as("nothing here would take them").extracting(r -> r.step())
                .containsExactly("a", "a", "a");
        runToEnd();
        assertThat(journal.entries()).containsExactly("a0", "a1", "a2");
    }

    /** A definition whose one action records "a" and its input {@code n}. */
    private OperationDefinition numbered(String name) {
        return define(name, f -> f.requires("n").action("a", ctx -> journal.ran("a" + ctx.get("n", Integer.class))).result("done"));
    }

    /** Inputs {@code n} = 0, 1, ... for {@link #numbered}. */
    private static List<Map<String, Object>> inputs(int count) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int n = 0; n < count; n++) inputs.add(Map.of("n", n));
        return inputs;
    }

    @Test
    void enqueueAllStartsOneOperationPerInputAndReturnsTheirIdsInOrder() {
        start(define("double", f -> f.requires("n").searchAttributes("n")
                .action("a", ctx -> journal.ran("a" + ctx.get("n", Integer.class)))
                .result("done", (ctx, results) -> results.put("doubled", 2 * ctx.get("n", Integer.class)))));
        List<OperationId> ids = scheduler().enqueueAll("double", List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3)));
        assertThat(dispatcher.dispatched()).as("one dispatch each: the fast path is off").hasSize(3);
        runToEnd();

        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(ids).extracting(id -> scheduler().get(id).results().get("doubled", Integer.class)).containsExactly(2, 4, 6);
        assertThat(ids).allSatisfy(id -> assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED));
        assertThat(journal.entries()).containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(scheduler().findBySearchAttribute("double", "n", 2)).containsExactly(ids.get(1));
    }

    @Test
    void enqueueAllAppliesItsOptionsToEveryOperationAndKeepsNoDelayedOneForTheTurns() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                numbered("later"));
        Instant due = clock.instant().plus(Duration.ofMinutes(10));
        List<OperationId> ids = scheduler().enqueueAll("later", inputs(2),
                EnqueueOptions.delay(Duration.ofMinutes(10)));

        assertThat(dispatcher.dispatched()).as("delayed: dispatched, each to run at its time")
                .extracting(r -> r.runAt()).containsExactly(due, due);
        assertThat(ids).allSatisfy(id -> assertThat(scheduler().attempts(id)).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AttemptStatus.SCHEDULED);
            assertThat(a.scheduledAt()).isEqualTo(due);
        }));
        dispatcher.runDue();
        assertThat(journal.entries()).as("nothing is due yet").isEmpty();
        runToEnd();
        assertThat(journal.entries()).containsExactlyInAnyOrder("a0", "a1");
    }

    @Test
    void enqueueAllStoresNothingWhenOneInputIsBadOrTheOptionsNameAKey() {
        start(define("needs-n", f -> f.requires("n").action("a", record(journal, "a")).result("done")));
        assertThatThrownBy(() -> scheduler().enqueueAll("needs-n", List.of(Map.of("n", 1), Map.of("m", 2))))
                .isInstanceOf(MissingInputException.class).hasMessageContaining("requires input [n]");
        assertThatThrownBy(() -> scheduler().enqueueAll("needs-n", List.of(Map.of("n", 1)), EnqueueOptions.idempotencyKey("k")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotency key");
        assertThatThrownBy(() -> scheduler().enqueueAll("nope", List.of()))
                .isInstanceOf(UnknownDefinitionException.class);
        assertThat(scheduler().enqueueAll("needs-n", List.of())).isEmpty();

        assertThat(ops.admin().list(OperationQuery.builder().build()).items()).as("nothing stored").isEmpty();
        assertThat(dispatcher.dispatched()).isEmpty();
    }

    @Test
    void aBatchEnqueuedWhileNoTurnRunsStartsTheWantedTurnsAndTheRestWaitForThem() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 2,
                numbered("new"));
        List<OperationId> ids = scheduler().enqueueAll("new", inputs(6));

        assertThat(dispatcher.dispatched()).as("two dispatched to start the two turns wanted; four kept for them")
                .extracting(r -> r.operationId()).containsExactly(ids.get(0).value(), ids.get(1).value());
        dispatcher.runDue(); // the first turn runs its operation, then the kept ones; the second finds none left
        assertThat(journal.entries()).containsExactly("a0", "a2", "a3", "a4", "a5", "a1");
        assertThat(ids).allSatisfy(id -> assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED));
        assertThat(dispatcher.dispatched()).hasSize(2);
    }

    @Test
    void aBatchWhoseTurnsDoNotBeginHereWithinASecondGoesToTheDispatcherAllAtOnce() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                numbered("new"));
        List<OperationId> ids = scheduler().enqueueAll("new", inputs(20));
        assertThat(dispatcher.dispatched()).as("one dispatched to start the turn wanted").hasSize(1);
        clock.advance(Duration.ofMillis(999));
        // still waiting for the turn to begin here, through several checks (one per 50 ms of real time)
        org.awaitility.Awaitility.await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(5))
                .until(() -> dispatcher.dispatched().size() == 1);
        clock.advance(Duration.ofMillis(2)); // it went to another node: no turn began here within the second

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.dispatched().size() > 1);
        assertThat(dispatcher.dispatched()).as("the rest in one go, not a turn's worth per stall")
                .extracting(r -> r.operationId()).containsExactlyElementsOf(ids.stream().map(OperationId::value).toList());
        runToEnd();
        assertThat(journal.entries()).hasSize(20);
    }

    @Test
    void operationsThatWaitedHalfTheDispatchGraceForABusyTurnGoToTheDispatcher() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("starter", f -> f.action("enqueue", ctx -> {
                    ops.scheduler().enqueueAll("tick", inputs(3)); // kept for this turn
                    clock.advance(Duration.ofMillis(2_501)); // the turn is busy for half the 5 s grace: they wait that long
                }).result("done")),
                numbered("tick"));
        scheduler().enqueue("starter", Map.of());
        runToEnd(); // the starter's turn: at its next take the three have waited too long; then their own jobs

        assertThat(dispatcher.dispatched()).extracting(r -> r.step()).as("the starter, then the three that waited")
                .containsExactly("enqueue", "a", "a", "a");
        assertThat(journal.entries()).containsExactlyInAnyOrder("a0", "a1", "a2");
    }

    @Test
    void beyondAThousandAndTwentyFourWaitingNewOperationsGoToTheDispatcher() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("starter", f -> f.action("enqueue", ctx -> {
                    ops.scheduler().enqueueAll("new", inputs(1030)); // a turn runs (this one): kept for it, up to the most
                }).result("done")),
                define("new", f -> f.requires("n").result("done", (ctx, results) -> journal.ran("n" + ctx.get("n", Integer.class)))));
        OperationId starter = scheduler().enqueue("starter", Map.of());
        runToEnd();

        assertThat(dispatcher.dispatched()).as("the starter, and the six beyond the 1,024 kept")
                .extracting(r -> r.step()).containsExactly("enqueue", "done", "done", "done", "done", "done", "done");
        assertThat(journal.entries()).hasSize(1030).doesNotHaveDuplicates();
        assertThat(scheduler().get(starter).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aWorkerThatFinishedItsOperationWaitsForANewOneBeforeItsTurnEnds() throws Exception {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1, Duration.ofMinutes(1),
                define("first", f -> f.action("a", record(journal, "first")).result("done")),
                define("second", f -> f.action("a", record(journal, "second")).result("done")));
        OperationId first = scheduler().enqueue("first", Map.of()); // no turn runs here: dispatched, to start one
        Thread worker = new Thread(dispatcher::runDue, "worker");
        worker.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scheduler().get(first).status() == OperationStatus.COMPLETED);
            OperationId second = scheduler().enqueue("second", Map.of()); // the one turn wanted runs: kept for it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scheduler().get(second).status() == OperationStatus.COMPLETED);
            assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).as("the waiting turn ran the second one")
                    .containsExactly(first.value());
            assertThat(worker.isAlive()).as("and waits for a third").isTrue();
        } finally {
            ops.close(); // ends the wait at once
            worker.join(10_000);
        }
        assertThat(worker.isAlive()).as("closing ended the turn").isFalse();
        assertThat(journal.entries()).containsExactly("first", "second");
    }

    @Test
    void recordingAStepLocksNoRowOfTheOperationNextToItInTheIndex() throws Exception {
        start(define("free", f -> f.action("a", record(journal, "a")).action("b", record(journal, "b")).result("done")),
                define("later", f -> f.action("a", record(journal, "later")).result("done")));
        OperationId free = scheduler().enqueue("free", Map.of());
        // why: the attempts index runs by operation id; the operation right after free's there is its neighbour. Enqueue
        // operations due in an hour until one sorts after free (ids are random: usually within a few).
        List<OperationId> after = new ArrayList<>();
        for (int n = 0; n < 100_000 && after.isEmpty(); n++) {
            OperationId later = scheduler().enqueue("later", Map.of(), EnqueueOptions.delay(Duration.ofHours(1)));
            if (later.toString().compareTo(free.toString()) > 0) after.add(later);
        }
        assertThat(after).as("an operation that sorts after free's").hasSize(1);
        OperationId next = after.get(0); // the first that sorted after free's: every one before it sorts before
        // another transaction holds the neighbour's attempt (its row alone, by its key), as a caller's transaction that
        // enqueued it and has not committed yet does
        UUID neighboursAttempt = scheduler().attempts(next).get(0).id();
        try (Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("SELECT id FROM durable_attempts WHERE id = ? FOR UPDATE")) {
                ps.setString(1, neighboursAttempt.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            try {
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> dispatcher.runDue(),
                        "recording a step waited for a lock on the attempt of the operation next to it in the index");
            } finally {
                other.rollback();
            }
        }
        assertThat(scheduler().get(free).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("a", "b");
    }

    @Test
    void aWorkerOffTheFastPathDoesNotWaitForNewOperations() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.off(), 1, Duration.ofMinutes(10),
                define("plain", f -> f.action("a", record(journal, "a")).result("done")));
        scheduler().enqueue("plain", Map.of());
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), this::runToEnd,
                "a worker off the fast path waited for new operations, holding its job's worker");
        assertThat(journal.entries()).containsExactly("a");
    }

    @Test
    void withNoLingerAWorkerReturnsAsSoonAsItFindsNothingToTake() throws Exception {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1, Duration.ZERO,
                define("first", f -> f.action("a", record(journal, "first")).result("done")),
                define("second", f -> f.action("a", record(journal, "second")).result("done")));
        OperationId first = scheduler().enqueue("first", Map.of());
        dispatcher.runDue(); // returns: the turn ended when it found nothing
        OperationId second = scheduler().enqueue("second", Map.of()); // no turn runs here: dispatched

        assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).containsExactly(first.value(), second.value());
        runToEnd();
        assertThat(journal.entries()).containsExactly("first", "second");
    }

    @Test
    void turnsStartedBeyondTheWantedNumberBeforeAnyTurnRanEndAtTheirFirstTake() throws Exception {
        Gate a = new Gate();
        Gate b = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("slow-a", f -> f.action("wait", ctx -> a.hold()).result("done")),
                define("slow-b", f -> f.action("wait", ctx -> b.hold()).result("done")),
                define("quick", f -> f.action("a", record(journal, "quick")).result("done")));
        scheduler().enqueue("slow-a", Map.of()); // starts the one turn wanted
        scheduler().enqueue("slow-b", Map.of()); // no turn runs yet, so dispatched too: one turn more than wanted
        Thread workerA = new Thread(dispatcher::runDue, "worker-a");
        Thread workerB = new Thread(dispatcher::runDue, "worker-b");
        try {
            workerA.start();
            a.inside.await();
            workerB.start();
            b.inside.await();
            OperationId quick = scheduler().enqueue("quick", Map.of()); // two turns run: it waits for one
            b.release.countDown();
            workerB.join();
            assertThat(journal.entries()).as("the extra turn ended at its first take").isEmpty();
            a.release.countDown();
            workerA.join();
            assertThat(journal.entries()).containsExactly("quick");
            assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).doesNotContain(quick.value());
        } finally {
            a.release.countDown();
            b.release.countDown();
            workerA.join();
            workerB.join();
        }
    }

    @Test
    void aDispatchMadeToStartATurnThatDoesNotBeginWithin50MsNoLongerCounts() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 2,
                define("starter", f -> f.action("enqueue", ctx -> {
                    ops.scheduler().enqueue("new", Map.of("n", 0)); // dispatched: one turn runs, two are wanted
                    clock.advance(Duration.ofMillis(51));             // its turn has not begun here: another node took it
                    ops.scheduler().enqueue("new", Map.of("n", 1)); // so this one is dispatched as well
                    ops.scheduler().enqueue("new", Map.of("n", 2)); // kept: the dispatch just made is about to start a turn
                }).result("done")),
                numbered("new"));
        scheduler().enqueue("starter", Map.of());
        dispatcher.runDue();

        assertThat(dispatcher.dispatched()).extracting(r -> r.step()).containsExactly("enqueue", "a", "a");
        assertThat(journal.entries()).as("the kept one in the starter's turn, then the dispatched ones")
                .containsExactly("a2", "a0", "a1");
    }

    @Test
    void aWorkerWhoseTurnIsSpentHandsNewOperationsToTheDispatcher() {
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofNanos(1)),
                define("starter", f -> f.action("enqueue", ctx -> {
                    for (int n = 0; n < 2; n++) ops.scheduler().enqueue("new", Map.of("n", n));
                }).result("done")),
                numbered("new"));
        OperationId starter = scheduler().enqueue("starter", Map.of());
        runToEnd();

        List<OperationView> started = ops.admin().list(OperationQuery.builder().definition("new").build()).items().stream()
                .map(summary -> scheduler().get(summary.id())).toList();
        assertThat(started).hasSize(2).extracting(OperationView::status).containsOnly(OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactlyInAnyOrder("a0", "a1");
        assertThat(dispatcher.dispatched()).extracting(r -> r.step())
                .as("no time left in the turn: each new operation's first step went to the dispatcher")
                .containsExactlyInAnyOrder("enqueue", "done", "a", "a", "done", "done");
        assertThat(scheduler().get(starter).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void newOperationsWaitingForBusyWorkersGoToTheDispatcherWhenNoneIsTakenForAWhile() throws Exception {
        Gate gate = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("slow", f -> f.action("wait", ctx -> gate.hold()).result("done")),
                define("new", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId slow = scheduler().enqueue("slow", Map.of());
        Thread worker = new Thread(dispatcher::runDue, "busy-worker");
        worker.start();
        try {
            gate.inside.await();
            OperationId fresh = scheduler().enqueue("new", Map.of()); // a turn is running: kept for its worker first
            assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).doesNotContain(fresh.value());
            clock.advance(Duration.ofMillis(50)); // no worker has taken anything for that long
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    dispatcher.dispatched().stream().anyMatch(r -> r.operationId().equals(fresh.value())));
            assertThat(worker.isAlive()).as("the worker is still in its long step: the wait ended, not the turn").isTrue();
            gate.release.countDown();
            worker.join();
            runToEnd();
            assertThat(scheduler().get(fresh).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(scheduler().get(slow).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(journal.entries()).containsExactly("a");
        } finally {
            gate.release.countDown();
            worker.join();
        }
    }

    @Test
    void aStallSendsAsManyWaitingOperationsAsTurnsAreWantedAndTheTurnsTheyStartEndWhenTheyAreTooMany() throws Exception {
        Gate gate = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("slow", f -> f.action("wait", ctx -> gate.hold()).result("done")),
                define("quick", f -> f.requires("n").action("a", ctx -> journal.ran("q" + ctx.get("n", Integer.class))).result("done")));
        scheduler().enqueue("slow", Map.of());
        whileAWorkerHolds(gate, () -> { // one turn runs, as many as wanted: new operations wait for it
            OperationId q0 = scheduler().enqueue("quick", Map.of("n", 0));
            OperationId q1 = scheduler().enqueue("quick", Map.of("n", 1));
            clock.advance(Duration.ofMillis(50)); // no worker has taken anything for that long
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    dispatcher.dispatched().stream().anyMatch(r -> r.operationId().equals(q0.value())));
            assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).as("one turn is wanted: one sent, the other waits")
                    .doesNotContain(q1.value());
            dispatcher.runDue(); // q0 starts a second turn on this thread, one more than wanted: it ends after q0
            assertThat(journal.entries()).containsExactly("q0");
            assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).doesNotContain(q1.value());
        });
        assertThat(journal.entries()).as("the first turn took q1 when its step was released").containsExactly("q0", "q1");
        assertThat(ops.admin().list(OperationQuery.builder().build()).items())
                .hasSize(3).extracting(OperationSummary::status).containsOnly(OperationStatus.COMPLETED);
    }

    @Test
    void aTurnBeyondTheWantedNumberThatNoStallStartedStillTakesWaitingOperations() throws Exception {
        Gate gate = new Gate();
        start(AesGcmEncryptor.of("k1", KEY), FastPath.upTo(32, Duration.ofMinutes(1)), 1,
                define("slow", f -> f.action("wait", ctx -> gate.hold()).result("done")),
                define("plain", f -> f.fastPath(FastPath.off()).action("p", record(journal, "plain")).result("done")),
                define("quick", f -> f.action("a", record(journal, "quick")).result("done")));
        scheduler().enqueue("slow", Map.of());
        whileAWorkerHolds(gate, () -> {
            scheduler().enqueue("plain", Map.of());                 // not on the fast path: dispatched
            OperationId quick = scheduler().enqueue("quick", Map.of()); // one turn runs, as many as wanted: waits
            dispatcher.runDue(); // plain's job is a second turn; no stall started it, so it takes quick after its step
            assertThat(journal.entries()).containsExactly("plain", "quick");
            assertThat(dispatcher.dispatched()).extracting(r -> r.operationId()).doesNotContain(quick.value());
        });
    }

    @Test
    void finishedOperationsAreDeletedAfterTheRetentionPeriodWithEverythingTheyOwn() throws Exception {
        start(define("kept", f -> f.action("a", record(journal, "a"))
                .action("b", ctx -> { throw new IllegalStateException("no"); }, StepOptions.retry(RetryPolicy.none()))
                .result("done")), define("waits", f -> f.awaitSignal("s", "s", WaitOptions.defaults()).result("done")));
        OperationId failed = scheduler().enqueue("kept", Map.of());
        OperationId waiting = scheduler().enqueue("waits", Map.of());
        runToEnd();
        clock.advance(Duration.ofDays(89));
        ops.relayNow();
        assertThat(scheduler().find(failed)).as("within the 90-day default").isPresent();
        clock.advance(Duration.ofDays(2));
        ops.relayNow();
        assertThat(scheduler().find(failed)).isEmpty();
        assertThat(scheduler().find(waiting)).as("a running operation is never deleted").isPresent();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM durable_attempts WHERE operation_id = '" + failed
                     + "') + (SELECT COUNT(*) FROM durable_attempt_errors WHERE operation_id = '" + failed + "')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("attempts and errors went with it").isZero();
        }
    }

    @Test
    void timestampsKeepTheirMicrosecondsSoADelayedStepIsNeverClaimedEarly() {
        clock.set(Instant.parse("2026-11-21T10:00:00.123456Z"));
        start(define("precise", f -> f.action("a", record(journal, "a"))
                .action("b", record(journal, "b"), StepOptions.delay(Duration.ofMillis(500))).result("done")));
        OperationId id = scheduler().enqueue("precise", Map.of());
        assertThat(scheduler().get(id).createdAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00.123456Z"));
        dispatcher.runDue();
        AttemptView b = scheduler().attempts(id).get(1);
        assertThat(b.scheduledAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00.623456Z"));
        clock.set(Instant.parse("2026-11-21T10:00:00.623455Z"));
        // a job system whose clock runs ahead delivers b a microsecond early: it is not claimed, but kept for its time
        dispatcher.deliverEarly(dispatcher.pending().get(0));
        assertThat(journal.entries()).containsExactly("a");
        clock.set(Instant.parse("2026-11-21T10:00:00.623456Z"));
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("a", "b");
        assertThat(scheduler().attempts(id).get(1).startedAt()).hasValue(Instant.parse("2026-11-21T10:00:00.623456Z"));
    }
}

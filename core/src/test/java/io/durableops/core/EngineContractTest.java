package io.durableops.core;

import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
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
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's behaviour against a real database, run without threads: a {@link ManualDispatcher} runs what is due
 * and a {@link MutableClock} moves time. Every database runs this same suite through a small subclass. The fast path's
 * turns are in {@link FastPathContractTest}, handing new operations to running turns in {@link HandOffContractTest}.
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

package io.durableops.core;

import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.testing.ManualDispatcher;
import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Waits, signals, child operations, timeouts, cancellation and search attributes, on every database. */
abstract class FlowControlContractTest extends EngineTestBase {
    static final TypeReference<List<Map<String, Object>>> CHILDREN = new TypeReference<>() { };

    OperationDefinition registration() {
        return define("registration", f -> f
                .requires("email")
                .searchAttributes("email")
                .action("send-verification", record(journal, "send-verification"))
                .awaitSignal("verified?", "email-verified", WaitOptions.timeout(Duration.ofDays(1)).onTimeout("remind").storeAs("verification"))
                .action("notify-admin", ctx -> journal.ran("notify-admin:" + ctx.get("verification", Map.class).get("by")), StepOptions.then("done"))
                .action("remind", record(journal, "remind"), StepOptions.then("done"))
                .result("done"));
    }

    @Test
    void aWaitAnOperatorRetriesFromOrMovesToStillTimesOut() {
        AtomicBoolean down = new AtomicBoolean(true);
        ops = start(define("approval", f -> f
                .action("notify", ctx -> {
                    if (down.get()) throw new IllegalStateException("mail server down");
                }, StepOptions.retry(RetryPolicy.none()))
                .awaitSignal("approved?", "approved", WaitOptions.timeout(Duration.ofHours(1)).onTimeout("escalate"))
                .result("done")
                .branch("escalation").result("escalate", (ctx, results) -> results.put("escalated", true))));
        for (boolean move : new boolean[]{false, true}) {
            down.set(true);
            OperationId id = scheduler().enqueue("approval", Map.of());
            dispatcher.runDue();
            assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
            if (move) ops.admin().as("ann").move(id, "approved?");
            else ops.admin().as("ann").retryFrom(id, "approved?");
            dispatcher.runDue();
            assertThat(scheduler().get(id).currentStep()).isEqualTo("approved?");
            clock.advance(Duration.ofMinutes(61));
            runToEnd();
            OperationView view = scheduler().get(id);
            assertThat(view.status()).as(move ? "move" : "retryFrom").isEqualTo(OperationStatus.COMPLETED);
            assertThat(view.results().get("escalated", Boolean.class)).isTrue();
        }
    }

    @Test
    void aSignalSentBeforeTheWaitIsKeptAndConsumedThere() {
        start(registration());
        OperationId id = scheduler().enqueue("registration", Map.of("email", "ada@example.com"));
        scheduler().signal(id, "email-verified", Map.of("by", "link"));
        runToEnd();
        assertThat(journal.entries()).containsExactly("send-verification", "notify-admin:link");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aSignalDuringTheWaitWakesItAtOnce() {
        start(registration());
        OperationId id = scheduler().enqueue("registration", Map.of("email", "ada@example.com"));
        dispatcher.runDue();
        AttemptView waiting = scheduler().attempts(id).get(1);
        assertThat(waiting.step()).isEqualTo("verified?");
        assertThat(waiting.status()).isEqualTo(AttemptStatus.SCHEDULED);
        assertThat(waiting.scheduledAt()).as("parked until its timeout").isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        clock.advance(Duration.ofHours(3));
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("send-verification");

        scheduler().signal(id, "email-verified", Map.of("by", "link"));
        assertThat(dispatcher.pending()).anySatisfy(r -> assertThat(r.runAt()).isEqualTo(clock.instant()));
        dispatcher.runDue();
        assertThat(journal.entries()).containsExactly("send-verification", "notify-admin:link");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id).get(1).attemptCount()).as("waiting is not a failed try").isEqualTo(1);
    }

    @Test
    void aWaitThatTimesOutGoesToItsTimeoutStepOrFails() {
        start(registration(), define("strict", f -> f
                .awaitSignal("approved?", "approved", WaitOptions.timeout(Duration.ofMinutes(30)))
                .result("done")));
        OperationId registration = scheduler().enqueue("registration", Map.of("email", "ada@example.com"));
        OperationId strict = scheduler().enqueue("strict", Map.of());
        dispatcher.runDue();
        clock.advance(Duration.ofMinutes(29));
        dispatcher.runDue();
        assertThat(scheduler().get(strict).status()).isEqualTo(OperationStatus.RUNNING);
        runToEnd();
        assertThat(journal.entries()).containsExactly("send-verification", "remind");
        assertThat(scheduler().get(registration).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().get(strict).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(strict).failureReason()).hasValue("wait 'approved?' timed out after PT30M");
    }

    @Test
    void signalsToFinishedOrUnknownOperationsAreRefused() {
        start(registration());
        OperationId id = scheduler().enqueue("registration", Map.of("email", "ada@example.com"));
        scheduler().cancel(id);
        assertThatThrownBy(() -> scheduler().signal(id, "email-verified", null))
                .isInstanceOf(IllegalOperationStateException.class).hasMessageContaining("CANCELLED").hasMessageContaining("'email-verified'");
        assertThatThrownBy(() -> scheduler().signal(OperationId.random(), "email-verified", null)).isInstanceOf(OperationNotFoundException.class);
    }

    @Test
    void waitUntilReevaluatesItsConditionDurably() {
        AtomicBoolean verified = new AtomicBoolean();
        start(define("poll", f -> f
                .waitUntil("verified?", ctx -> {
                    journal.ran("check");
                    return verified.get();
                }, WaitOptions.timeout(Duration.ofHours(1)).every(Duration.ofMinutes(10)))
                .result("done")));
        OperationId id = scheduler().enqueue("poll", Map.of());
        dispatcher.runDue();
        clock.advance(Duration.ofMinutes(10));
        dispatcher.runDue();
        assertThat(journal.count("check")).isEqualTo(2);
        verified.set(true);
        clock.advance(Duration.ofMinutes(10));
        dispatcher.runDue();
        assertThat(journal.count("check")).isEqualTo(3);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    OperationDefinition doubler() {
        return doubler("double", Duration.ZERO);
    }

    /** A child that starts {@code delay} after it is enqueued, so a test can act on its parent first. */
    OperationDefinition doubler(String name, Duration delay) {
        return define(name, f -> f
                .requires("n")
                .action("compute", ctx -> {
                    int n = ctx.get("n", Integer.class);
                    if (n < 0) ctx.failWith("negative input " + n);
                    ctx.set("doubled", n * 2);
                }, StepOptions.delay(delay))
                .result("done", (ctx, results) -> results.put("doubled", ctx.get("doubled", Integer.class))));
    }

    OperationDefinition fanOut(WaitOptions wait) {
        return fanOut("double", wait);
    }

    OperationDefinition fanOut(String child, WaitOptions wait) {
        return define("fan-out", f -> f
                .requires("count")
                .action("start-children", ctx -> {
                    int count = ctx.get("count", Integer.class);
                    for (int i = 1; i <= count; i++) ctx.startChild(child, Map.of("n", ctx.find("failAt", Integer.class).orElse(-1) == i ? -i : i));
                })
                .awaitChildren("all-done?", wait)
                .result("sum", (ctx, results) -> {
                    List<ChildSummary> children = ctx.children("children");
                    results.put("children", children.size());
                    results.put("sum", children.stream().filter(c -> c.status() == OperationStatus.COMPLETED)
                            .mapToInt(c -> c.results().get("doubled", Integer.class)).sum());
                    results.put("failures", children.stream().flatMap(c -> c.failureReason().stream()).count());
                    assertThat(ctx.children("absent")).isEmpty();
                })
                .failure("some-child-failed", "a child failed"));
    }

    @Test
    void aThousandChildrenFanOutAndTheParentSeesAllResults() {
        start(doubler(), fanOut(WaitOptions.defaults()));
        OperationId id = scheduler().enqueue("fan-out", Map.of("count", 1000));
        runToEnd();
        OperationView parent = scheduler().get(id);
        assertThat(parent.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(parent.results().get("children", Integer.class)).isEqualTo(1000);
        assertThat(parent.results().get("sum", Integer.class)).isEqualTo(1000 * 1001);
    }

    @Test
    void aFailingChildTakesTheDeclaredPathOrFailsTheParent() {
        start(doubler(), fanOut(WaitOptions.defaults().onChildFailure("some-child-failed")),
                define("strict-fan-out", f -> f
                        .action("start", ctx -> {
                            ctx.startChild("double", Map.of("n", 1));
                            ctx.startChild("double", Map.of("n", -2));
                        })
                        .awaitChildren("wait", WaitOptions.defaults())
                        .result("done")));
        OperationId declared = scheduler().enqueue("fan-out", Map.of("count", 5, "failAt", 3));
        OperationId strict = scheduler().enqueue("strict-fan-out", Map.of());
        runToEnd();
        assertThat(scheduler().get(declared).currentStep()).isEqualTo("some-child-failed");
        assertThat(scheduler().get(declared).globals().get("children", CHILDREN)).hasSize(5)
                .anySatisfy(c -> assertThat(c).containsEntry("status", "FAILED").containsEntry("failureReason", "negative input -3"));
        assertThat(scheduler().get(strict).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(strict).failureReason().orElseThrow()).contains("(double) ended FAILED: negative input -2");
    }

    @Test
    void childSummariesAreReadTyped() {
        start(doubler(), define("inspecting", f -> f
                .action("start", ctx -> {
                    ctx.startChild("double", Map.of("n", 4));
                    ctx.startChild("double", Map.of("n", -5));
                })
                .awaitChildren("wait", WaitOptions.defaults().onChildFailure("inspect").storeAs("kids"))
                .result("done")
                .action("inspect", ctx -> {
                    for (ChildSummary c : ctx.children("kids")) {
                        journal.ran(c.definition() + ":" + c.status() + ":" + c.results().find("doubled", Integer.class).orElse(0)
                                + ":" + c.failureReason().orElse("-"));
                    }
                }, StepOptions.then("done"))));
        OperationId id = scheduler().enqueue("inspecting", Map.of());
        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactlyInAnyOrder("double:COMPLETED:8:-", "double:FAILED:0:negative input -5");
        assertThat(scheduler().get(id).globals().get("kids", CHILDREN)).hasSize(2);
    }

    @Test
    void anyAndAtLeastContinueBeforeAllChildrenFinish() {
        start(doubler(), define("first-wins", f -> f
                .action("start", ctx -> {
                    ctx.startChild("double", Map.of("n", 1));
                    ctx.startChild("double", Map.of("n", 2));
                    ctx.startChild("double", Map.of("n", 3));
                })
                .awaitChildren("two?", WaitOptions.defaults().atLeast(2))
                .result("done", (ctx, results) -> results.put("finished", ctx.get("children", CHILDREN).stream()
                        .filter(c -> "COMPLETED".equals(c.get("status"))).count()))));
        OperationId id = scheduler().enqueue("first-wins", Map.of());
        dispatcher.runDue();
        OperationView parent = scheduler().get(id);
        assertThat(parent.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(parent.results().get("finished", Integer.class)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCallStartsOneChildAndContinuesWithItsResults() {
        start(doubler(), define("caller", f -> f
                .call("double-it", "double", ctx -> Map.of("n", ctx.get("x", Integer.class)), WaitOptions.timeout(Duration.ofMinutes(5)))
                .result("done", (ctx, results) -> results.put("answer", ctx.get("double-it", Map.class).get("doubled")))));
        OperationId id = scheduler().enqueue("caller", Map.of("x", 21));
        runToEnd();
        assertThat(scheduler().get(id).results().get("answer", Integer.class)).isEqualTo(42);
        assertThat(count("durable_operations")).isEqualTo(2);
    }

    @Test
    void anOperationDeadlineEndsAWaitingOperationAndCancelsItsChildren() {
        start(doubler("slow-double", Duration.ofDays(1)), define("slow-parent", f -> f
                .timeout(Duration.ofHours(1), OperationStatus.FAILED)
                .action("start", ctx -> ctx.startChild("slow-double", Map.of("n", 1)))
                .awaitSignal("go", "go", WaitOptions.defaults())
                .result("done")), registration());
        OperationId parent = scheduler().enqueue("slow-parent", Map.of());
        OperationId registration = scheduler().enqueue("registration", Map.of("email", "x@example.com"), EnqueueOptions.deadline(Duration.ofMinutes(5)));
        dispatcher.runDue(); // runs "start" and "send-verification"; the child waits a day to start
        clock.advance(Duration.ofMinutes(6));
        ops.relayNow();
        assertThat(scheduler().get(registration).status()).isEqualTo(OperationStatus.EXPIRED);
        assertThat(scheduler().get(registration).failureReason().orElseThrow()).contains("deadline");
        clock.advance(Duration.ofHours(1));
        ops.relayNow();
        OperationView p = scheduler().get(parent);
        assertThat(p.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(p.failureReason().orElseThrow()).startsWith("its deadline");
        assertThat(childStatuses(parent)).containsOnly(OperationStatus.CANCELLED);
        runToEnd();
        assertThat(childStatuses(parent)).containsOnly(OperationStatus.CANCELLED);
    }

    @Test
    void aRetriedOperationIsNotEndedAgainByTheDeadlineThatEndedIt() {
        start(registration());
        OperationId id = scheduler().enqueue("registration", Map.of("email", "x@example.com"), EnqueueOptions.deadline(Duration.ofMinutes(5)));
        dispatcher.runDue();
        clock.advance(Duration.ofMinutes(6));
        ops.relayNow();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.EXPIRED);
        scheduler().retry(id);
        ops.relayNow();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.RUNNING);
        dispatcher.runDue();
        assertThat(scheduler().attempts(id).get(1).scheduledAt()).as("the wait's own timeout starts again")
                .isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        scheduler().signal(id, "email-verified", Map.of("by", "retry"));
        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void steeringADecisionAtRunTimeIsAClearFailure() {
        start(define("steer", f -> f.decision("d", ctx -> {
            ctx.goTo("done");
            return true;
        }, "done", "done").result("done")));
        OperationId id = scheduler().enqueue("steer", Map.of());
        runToEnd();
        assertThat(scheduler().get(id).failureReason()).hasValue("step 'd' is a decision and called goTo(...); only actions and waits choose their next step at run time");
    }

    @Test
    void aHangingStepIsTimedOutAndInterrupted() {
        start(define("hangs", f -> f
                .action("hang", ctx -> {
                    journal.ran("hang");
                    new CountDownLatch(1).await(); // until interrupted
                }, StepOptions.timeout(Duration.ofMillis(300)).andRetry(RetryPolicy.none()))
                .result("done")));
        OperationId id = scheduler().enqueue("hangs", Map.of());
        dispatcher.runDue();
        OperationView op = scheduler().get(id);
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.failureReason()).hasValue("step 'hang' failed after 1 attempt with io.durableops.core.StepTimeoutException");
        AttemptView hang = scheduler().attempts(id).get(0);
        assertThat(hang.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("did not finish within PT0.3S"));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void cancellingAParentCancelsItsChildrenAndNothingRunsAfterIt() {
        start(doubler("slow-double", Duration.ofMinutes(1)), fanOut("slow-double", WaitOptions.defaults()));
        OperationId id = scheduler().enqueue("fan-out", Map.of("count", 3));
        dispatcher.runDue(); // the parent starts its children, which start a minute later
        assertThat(childStatuses(id)).hasSize(3);
        scheduler().cancel(id);
        assertThat(childStatuses(id)).containsOnly(OperationStatus.CANCELLED);
        runToEnd();
        assertThat(childStatuses(id)).containsOnly(OperationStatus.CANCELLED);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(count("durable_attempts WHERE status = 'SUCCEEDED' AND step = 'compute'")).isZero();
    }

    @Test
    void searchAttributesFindExactlyTheMatchingOperations() {
        start(registration(), define("subscription", f -> f.requires("subscriptionId").searchAttributes("subscriptionId", "plan")
                .action("a", ctx -> ctx.set("plan", "red")).result("done")));
        OperationId s42 = scheduler().enqueue("subscription", Map.of("subscriptionId", 42));
        OperationId s43 = scheduler().enqueue("subscription", Map.of("subscriptionId", 43));
        OperationId s42b = scheduler().enqueue("subscription", Map.of("subscriptionId", "42"));
        scheduler().enqueue("registration", Map.of("email", "42"));
        runToEnd();
        assertThat(scheduler().findBySearchAttribute("subscription", "subscriptionId", 42)).containsExactlyInAnyOrder(s42, s42b);
        assertThat(scheduler().findBySearchAttribute(null, "subscriptionId", 43L)).containsExactly(s43);
        assertThat(scheduler().findBySearchAttribute("subscription", "plan", "red")).containsExactlyInAnyOrder(s42, s43, s42b);
        assertThat(scheduler().findBySearchAttribute("subscription", "subscriptionId", 44)).isEmpty();
        assertThat(scheduler().findBySearchAttribute("subscription", "email", "42")).isEmpty();
    }

    List<OperationStatus> childStatuses(OperationId parent) {
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement("SELECT status FROM durable_operations WHERE parent_id = ?")) {
            ps.setString(1, parent.toString());
            List<OperationStatus> statuses = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) statuses.add(OperationStatus.valueOf(rs.getString(1)));
            }
            return statuses;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    long count(String tableAndWhere) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + tableAndWhere)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void awaitReturnsTheResultOfAnOperationThatCompletesOnAnotherNode() throws Exception {
        OperationDefinition quote = define("quote", f -> f.action("price", ctx -> ctx.set("price", 42))
                .result("done", (ctx, results) -> results.put("price", ctx.get("price", Integer.class))));
        start(quote); // this node runs it
        ManualDispatcher elsewhere = new ManualDispatcher(clock);
        try (DurableOps waiter = DurableOps.builder().name("waiter").dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock)
                .dispatcher(elsewhere).relayInterval(Duration.ZERO).register(quote).build()) {
            OperationId id = scheduler().enqueue("quote", Map.of());
            java.util.concurrent.CompletableFuture<OperationView> async = waiter.scheduler().resultAsync(id);
            dispatcher.runDue(); // it completes on the other node
            assertThat(async).as("the waiting node has not looked yet").isNotDone();
            waiter.relayNow(); // the waiting node's relay sees it ended
            assertThat(async.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(OperationStatus.COMPLETED);
            OperationId second = scheduler().enqueue("quote", Map.of());
            // why no ordering is asserted here: the blocking call may register before or after the end; either way it returns
            java.util.concurrent.CompletableFuture<OperationView> blocking = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> waiter.scheduler().await(second, Duration.ofSeconds(30)));
            dispatcher.runDue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                waiter.relayNow();
                return blocking.isDone();
            });
            assertThat(blocking.get().results().get("price", Integer.class)).isEqualTo(42);
            assertThat(scheduler().await(id, Duration.ZERO).status()).as("an ended operation returns at once").isEqualTo(OperationStatus.COMPLETED);
        }
    }

    @Test
    void awaitIsWokenLocallyAndThrowsOnFailureAndOnTimeout() throws Exception {
        start(define("declines", f -> f.action("charge", ctx -> {
                    throw new IllegalStateException("card declined");
                }, StepOptions.retry(RetryPolicy.none())).result("done")),
                define("slow", f -> f.action("later", ctx -> { }, StepOptions.delay(Duration.ofHours(1))).result("done")));
        OperationId declined = scheduler().enqueue("declines", Map.of());
        java.util.concurrent.CompletableFuture<OperationView> future = scheduler().resultAsync(declined);
        dispatcher.runDue(); // fails on this node: woken without a relay pass
        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(() -> scheduler().await(declined, Duration.ofSeconds(5)))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("ended FAILED")
                .satisfies(e -> assertThat(((OperationFailedException) e).operation().failureReason()).isPresent());
        OperationId slow = scheduler().enqueue("slow", Map.of());
        assertThatThrownBy(() -> scheduler().await(slow, Duration.ofMillis(50)))
                .isInstanceOf(AwaitTimeoutException.class).hasMessageContaining("it is RUNNING");
        assertThatThrownBy(() -> scheduler().await(OperationId.random(), Duration.ofMillis(50))).isInstanceOf(OperationNotFoundException.class);
    }

    @Test
    void childrenNameTheirParentAndAreFoundByIt() {
        start(define("child", f -> f.action("work", ctx -> { }).result("done")),
                define("parent", f -> f.action("spawn", ctx -> {
                    ctx.startChild("child", Map.of("n", 1));
                    ctx.startChild("child", Map.of("n", 2));
                }).awaitChildren("join", WaitOptions.defaults()).result("done")));
        OperationId parent = scheduler().enqueue("parent", Map.of());
        runToEnd();
        List<OperationSummary> children = ops.admin().list(OperationQuery.builder().parentId(parent).build()).items();
        assertThat(children).hasSize(2).allSatisfy(c -> assertThat(c.definition()).isEqualTo("child"));
        assertThat(scheduler().get(children.get(0).id()).parentId()).hasValue(parent);
        assertThat(scheduler().get(parent).parentId()).isEmpty();
    }
}

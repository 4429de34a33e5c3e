package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.test.PausingDataSource;
import io.durableops.core.testing.Invariants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Races between operators, senders and workers, on a real database: each one made deterministic by holding one caller
 * between two of its statements ({@link PausingDataSource}) while the others act, then letting it go once they are done
 * or blocked by its locks. Whatever the order, exactly one of concurrent actions wins, nothing runs twice and nothing
 * is lost. Every database runs it through a small subclass.
 */
abstract class ConcurrencyContractTest extends EngineTestBase {
    private final ExecutorService threads = Executors.newCachedThreadPool(named());
    private final AtomicBoolean chargeFails = new AtomicBoolean(true);

    private OperationAdmin admin() {
        return ops.admin();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** charge (fails its first try, no retries), ship an hour later, then done: the operation. */
    private OperationId failedAtCharge() {
        start(define("charge-ship", f -> f
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (chargeFails.getAndSet(false)) throw new IllegalStateException("card declined");
                }, StepOptions.retry(RetryPolicy.none()))
                .action("ship", record(journal, "ship"), StepOptions.delay(Duration.ofHours(1)))
                .action("wrap-up", record(journal, "wrap-up"))
                .result("done")));
        OperationId id = scheduler().enqueue("charge-ship", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        return id;
    }

    @Test
    void aRetryHeldBeforeItsUpdateLosesToTheOneThatWonOrWinsAlone() throws Exception {
        OperationId id = failedAtCharge();
        PausingDataSource.Pause held = pausing.pauseBefore("operator-1", sql -> sql.startsWith("UPDATE durable_operations"));
        Future<Outcome> first = on("operator-1", () -> admin().as("ann").retry(id));
        held.awaitReached();
        Future<Outcome> second = on("operator-2", () -> {
            admin().as("bob").retry(id);
            dispatcher.runDue(); // charge succeeds; ship waits its hour
        });
        awaitDoneOrBlocked(second);
        held.release();

        assertThat(List.of(first.get(), second.get())).as("exactly one retry happened")
                .containsExactlyInAnyOrder(Outcome.OK, Outcome.REFUSED);
        runToEnd();
        assertThat(journal.count("charge")).as("the failed try and the one retry").isEqualTo(2);
        assertThat(journal.count("ship")).isEqualTo(1);
        assertThat(journal.count("wrap-up")).isEqualTo(1);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().attempts(id)).extracting(AttemptView::step).containsExactly("charge", "ship", "wrap-up", "done");
        assertThat(ops.admin().audit(id)).extracting(AuditEntry::action).containsExactly("retry");
        assertThat(Invariants.violations(db.dataSource())).isEmpty();
    }

    @Test
    void aRetryHeldWhileAnotherRetriesAndACancelEndsItNeverRevivesTheCancelledOperation() throws Exception {
        OperationId id = failedAtCharge();
        PausingDataSource.Pause held = pausing.pauseBefore("operator-1", sql -> sql.startsWith("UPDATE durable_operations"));
        Future<Outcome> first = on("operator-1", () -> admin().as("ann").retry(id));
        held.awaitReached();
        Future<Outcome> others = on("operator-2", () -> {
            Outcome retried = attempt(() -> admin().as("bob").retry(id));
            Outcome cancelled = attempt(() -> admin().as("carol").cancel(id));
            if (cancelled != Outcome.OK) throw new AssertionError("the cancel of a RUNNING operation was refused (retry: " + retried + ")");
        });
        awaitDoneOrBlocked(others);
        held.release();
        first.get();
        assertThat(others.get()).isEqualTo(Outcome.OK);

        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(journal.count("charge")).as("nothing runs behind the cancelled operation").isEqualTo(1);
        assertThat(Invariants.violations(db.dataSource())).isEmpty();
        assertThat(ops.admin().audit(id)).extracting(AuditEntry::action).containsExactly("retry", "cancel");
    }

    @Test
    void twentyOperatorsRetryingOneFailedOperationRetryItOnce() throws Exception {
        OperationId id = failedAtCharge();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String actor = "operator-" + i;
            calls.add(on(actor, () -> {
                go.await();
                admin().as(actor).retry(id);
            }));
        }
        go.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> call : calls) outcomes.add(call.get());
        assertThat(outcomes).filteredOn(o -> o == Outcome.OK).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o == Outcome.REFUSED).hasSize(19);
        runToEnd();
        assertThat(journal.count("charge")).isEqualTo(2);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(ops.admin().audit(id)).extracting(AuditEntry::action).containsExactly("retry");
        assertThat(Invariants.violations(db.dataSource())).isEmpty();
    }

    @Test
    void concurrentRunNowsBringAStepForwardOnce() throws Exception {
        start(define("later", f -> f.action("a", record(journal, "a"), StepOptions.delay(Duration.ofDays(1))).result("done")));
        OperationId id = scheduler().enqueue("later", Map.of());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String actor = "operator-" + i;
            calls.add(on(actor, () -> {
                go.await();
                admin().as(actor).runNow(id);
            }));
        }
        go.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> call : calls) outcomes.add(call.get());
        assertThat(outcomes).filteredOn(o -> o == Outcome.OK).hasSize(1);
        assertThat(ops.admin().audit(id)).extracting(AuditEntry::action).containsExactly("run-now");
        dispatcher.runDue();
        assertThat(journal.count("a")).isEqualTo(1);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void retryCancelAndWorkersRacingLeaveEveryOperationInOneConsistentState() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        start(define("flaky", f -> f
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (tries.incrementAndGet() % 2 == 1) throw new IllegalStateException("declined");
                }, StepOptions.retry(RetryPolicy.none()))
                .action("ship", record(journal, "ship"))
                .result("done")));
        for (int round = 0; round < 50; round++) {
            tries.set(0);
            OperationId id = scheduler().enqueue("flaky", Map.of());
            dispatcher.runDue();
            CountDownLatch go = new CountDownLatch(1);
            Future<Outcome> retry = on("retrier", () -> {
                go.await();
                admin().as("ann").retry(id);
            });
            Future<Outcome> cancel = on("canceller", () -> {
                go.await();
                admin().as("bob").cancel(id);
            });
            Future<Outcome> worker = on("worker", () -> {
                go.await();
                for (int i = 0; i < 3; i++) dispatcher.runDue();
            });
            go.countDown();
            Outcome retried = retry.get();
            Outcome cancelled = cancel.get();
            assertThat(worker.get()).isEqualTo(Outcome.OK);
            runToEnd();
            OperationStatus status = scheduler().get(id).status();
            if (retried == Outcome.OK && cancelled == Outcome.OK) {
                assertThat(status).as("round %d: retried, then cancelled", round).isEqualTo(OperationStatus.CANCELLED);
            } else if (retried == Outcome.OK) {
                assertThat(status).as("round %d: cancel came first, was refused, then the retry", round).isEqualTo(OperationStatus.COMPLETED);
            } else {
                assertThat(status).as("round %d: the retry was refused", round).isIn(OperationStatus.FAILED, OperationStatus.CANCELLED);
            }
            assertThat(Invariants.violations(db.dataSource())).as("round %d", round).isEmpty();
            assertThat(tries.get()).as("round %d: charge ran at most twice", round).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aSignalSentWhileTheOperationMovesIntoItsWaitIsNotLost() throws Exception {
        start(define("pinged", f -> f
                .awaitSignal("wait", "ping", WaitOptions.timeout(Duration.ofDays(30)).onTimeout("quiet"))
                .action("count", record(journal, "count"), StepOptions.delay(Duration.ofMinutes(1)).andThen("wait"))
                .result("quiet")));
        OperationId id = scheduler().enqueue("pinged", Map.of());
        dispatcher.runDue();
        scheduler().signal(id, "ping", 1);
        dispatcher.runDue();
        assertThat(scheduler().get(id).currentStep()).isEqualTo("count");

        PausingDataSource.Pause held = pausing.pauseBefore("sender", sql -> sql.startsWith("INSERT INTO durable_signals"));
        Future<Outcome> sender = on("sender", () -> scheduler().signal(id, "ping", 2));
        held.awaitReached(); // it has read the operation, at count
        clock.advance(Duration.ofMinutes(1));
        Future<Outcome> runner = on("runner", dispatcher::runDue); // count runs, and the wait finds no signal yet
        awaitDoneOrBlocked(runner);
        held.release();
        assertThat(sender.get()).isEqualTo(Outcome.OK);
        assertThat(runner.get()).isEqualTo(Outcome.OK);
        dispatcher.runDue();

        assertThat(unconsumedSignals(id)).as("ping 2 woke the wait").isZero();
        assertThat(scheduler().get(id).currentStep()).isEqualTo("count");
        assertThat(journal.count("count")).isEqualTo(1);
    }

    @Test
    void aChildThatEndsWhileItsParentMovesIntoItsWaitWakesIt() throws Exception {
        start(define("child", f -> f.action("work", record(journal, "work")).result("done")),
                define("parent", f -> f
                        .action("spawn", ctx -> ctx.startChild("child", Map.of()))
                        .action("between", record(journal, "between"), StepOptions.delay(Duration.ofMinutes(1)))
                        .awaitChildren("join", WaitOptions.defaults())
                        .result("done")));
        OperationId parent = scheduler().enqueue("parent", Map.of());
        // the child's last completion has looked at its parent (at 'between', no wait to wake) and is held uncommitted
        PausingDataSource.Pause held = pausing.pauseBeforeCommitAfter("child-worker",
                sql -> sql.startsWith("SELECT") && sql.contains(" FROM durable_operations WHERE id = ?"));
        Future<Outcome> child = on("child-worker", dispatcher::runDue); // spawn, then the child's step
        held.awaitReached();
        clock.advance(Duration.ofMinutes(1));
        Future<Outcome> parentWorker = on("parent-worker", dispatcher::runDue); // between, then the join finds the child running
        awaitDoneOrBlocked(parentWorker);
        held.release();
        assertThat(child.get()).isEqualTo(Outcome.OK);
        assertThat(parentWorker.get()).isEqualTo(Outcome.OK);
        runToEnd();
        assertThat(scheduler().get(parent).status()).as("the child's end woke the join").isEqualTo(OperationStatus.COMPLETED);
    }

    private long unconsumedSignals(OperationId id) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM durable_signals WHERE operation_id = ? AND consumed_at IS NULL")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** What a caller's call came to: returned, or refused with {@link IllegalOperationStateException}. */
    enum Outcome { OK, REFUSED }

    private Future<Outcome> on(String threadName, Body body) {
        return threads.submit((Callable<Outcome>) () -> {
            Thread.currentThread().setName(threadName);
            return attempt(body);
        });
    }

    private static Outcome attempt(Body body) {
        try {
            body.run();
            return Outcome.OK;
        } catch (IllegalOperationStateException refused) {
            return Outcome.REFUSED;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code call} is finished or blocked on a lock another caller holds. */
    private void awaitDoneOrBlocked(Future<?> call) {
        try {
            await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> call.isDone() || db.lockWaits() > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the call neither finished nor waited for a lock; sessions: " + db.sessions(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory named() {
        return r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
    }
}

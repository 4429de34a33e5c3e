package io.durableops.core;

import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * New operations handed to this node's running fast-path turns instead of a dispatch each: how many turns start, how
 * long operations wait for one, and when they go to the dispatcher after all; enqueueAll's batches. Every database runs
 * it through a small subclass.
 */
abstract class HandOffContractTest extends EngineTestBase {
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
}

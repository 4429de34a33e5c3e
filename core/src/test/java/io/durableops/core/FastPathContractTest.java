package io.durableops.core;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path's turns against a real database: steps run back to back by one worker, each recorded before the next
 * (alone, where the database allows), what readers, leases, timeouts and operators see in the middle of a turn, and
 * what a turn's recording locks. Every database runs it through a small subclass.
 */
abstract class FastPathContractTest extends EngineTestBase {
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
}

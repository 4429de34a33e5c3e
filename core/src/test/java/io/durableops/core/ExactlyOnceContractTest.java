package io.durableops.core;

import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Idempotency keys, enqueue in the caller's transaction, transactional steps and staged work, on every database. */
abstract class ExactlyOnceContractTest extends EngineTestBase {
    static final String RIDES = "durable_test_rides"; // emptied between MariaDB tests with Durable Ops' tables

    @BeforeEach
    void createRidesTable() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + RIDES + " (id VARCHAR(36) NOT NULL PRIMARY KEY, note VARCHAR(100))");
        }
    }

    OperationDefinition oneStep(String name) {
        return define(name, f -> f.action("a", record(journal, name)).result("done"));
    }

    @Test
    void theSameKeyWithTheSameInputReturnsTheFirstOperation() {
        start(oneStep("ride"), oneStep("other"));
        OperationId first = scheduler().enqueue("ride", Map.of("riderId", 7, "when", "now"), EnqueueOptions.idempotencyKey("ride-7"));
        OperationId again = scheduler().enqueue("ride", Map.of("when", "now", "riderId", 7L), EnqueueOptions.idempotencyKey("ride-7"));
        assertThat(again).isEqualTo(first);
        assertThat(count("durable_operations")).isEqualTo(1);
        assertThat(dispatcher.dispatched()).hasSize(1);

        OperationId otherDefinition = scheduler().enqueue("other", Map.of("riderId", 7, "when", "now"), EnqueueOptions.idempotencyKey("ride-7"));
        assertThat(otherDefinition).as("keys are scoped per definition").isNotEqualTo(first);
        runToEnd();
        assertThat(journal.count("ride")).isEqualTo(1);
    }

    @Test
    void theSameKeyWithOtherInputIsAConflictAndStoresNothing() {
        start(oneStep("ride"));
        OperationId first = scheduler().enqueue("ride", Map.of("riderId", 7), EnqueueOptions.idempotencyKey("ride-7"));
        assertThatThrownBy(() -> scheduler().enqueue("ride", Map.of("riderId", 8), EnqueueOptions.idempotencyKey("ride-7")))
                .isInstanceOfSatisfying(IdempotencyKeyConflictException.class, e -> assertThat(e.existing()).isEqualTo(first))
                .hasMessageContaining("'ride-7'");
        assertThat(count("durable_operations")).isEqualTo(1);
        assertThat(count("durable_attempts")).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentEnqueuesWithOneKeyCreateOneOperation() throws Exception {
        start(oneStep("ride"));
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<OperationId>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<OperationId> enqueue = () -> {
                go.await();
                return scheduler().enqueue("ride", Map.of("riderId", 7), EnqueueOptions.idempotencyKey("ride-7"));
            };
            results.add(pool.submit(enqueue));
        }
        go.countDown();
        Set<OperationId> ids = new HashSet<>();
        for (Future<OperationId> result : results) ids.add(result.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(ids).hasSize(1);
        assertThat(count("durable_operations")).isEqualTo(1);
        assertThat(count("durable_attempts")).isEqualTo(1);
    }

    @Test
    void anEnqueueInACallerTransactionThatRollsBackLeavesNothing() throws Exception {
        start(oneStep("ride"));
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insertRide(c, "r1");
            scheduler().enqueue(c, "ride", Map.of("riderId", 7));
            c.rollback();
        }
        assertThat(count("durable_operations")).isZero();
        assertThat(count("durable_attempts")).isZero();
        assertThat(count(RIDES)).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(ops.relayNow()).isZero();
        runToEnd();
        assertThat(journal.entries()).isEmpty();
        assertThat(dispatcher.dispatched()).isEmpty();
    }

    @Test
    void anEnqueueInACallerTransactionThatCommitsRuns() throws Exception {
        start(oneStep("ride"));
        OperationId id;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insertRide(c, "r1");
            id = scheduler().enqueue(c, "ride", Map.of("riderId", 7));
            assertThat(dispatcher.dispatched()).as("nothing is dispatched before the caller commits").isEmpty();
            c.commit();
        }
        assertThat(ops.relayNow()).as("taken by the relay at once, without waiting for the dispatch grace").isEqualTo(1);
        runToEnd();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("ride");
        assertThat(ops.relayNow()).isZero();
    }

    @Test
    void aTransactionalStepThatThrowsLeavesNoRowAndIsRetried() {
        AtomicInteger tries = new AtomicInteger();
        start(define("create-ride", f -> f
                .action("create-ride-and-audit", ctx -> {
                    journal.ran("create-ride-and-audit");
                    insertRide(ctx.connection(), ctx.get("rideId", String.class));
                    if (tries.incrementAndGet() == 1) throw new IllegalStateException("audit service down");
                    ctx.set("created", true);
                }, StepOptions.transactional().andRetry(RetryPolicy.fixed(3, Duration.ofSeconds(1))))
                .action("charge", record(journal, "charge"))
                .result("done")));
        OperationId id = scheduler().enqueue("create-ride", Map.of("rideId", "ride-1"));
        dispatcher.runDue();
        assertThat(count(RIDES)).as("the failed try's row was rolled back with it").isZero();
        assertThat(scheduler().attempts(id).get(0).status()).isEqualTo(AttemptStatus.SCHEDULED);

        clock.advance(Duration.ofSeconds(1));
        dispatcher.runDue();
        assertThat(count(RIDES)).isEqualTo(1);
        assertThat(scheduler().attempts(id).get(0).status()).isEqualTo(AttemptStatus.SUCCEEDED);
        assertThat(scheduler().get(id).globals().get("created", Boolean.class)).isTrue();
    }

    @Test
    void aCommittedTransactionalStepIsNotRunAgainAfterACrashBeforeTheNextStep() {
        start(define("create-ride", f -> f
                .action("create", ctx -> {
                    journal.ran("create");
                    insertRide(ctx.connection(), "ride-2");
                }, StepOptions.transactional())
                .action("charge", record(journal, "charge"), StepOptions.delay(Duration.ofSeconds(30)))
                .result("done")));
        OperationId id = scheduler().enqueue("create-ride", Map.of());
        dispatcher.runDue();
        dispatcher.dropPending(); // the node crashes right after the commit: the dispatch of "charge" is lost
        // JobRunr delivers the job of "create" again (an orphaned job is re-run): a no-op
        dispatcher.redeliver(dispatcher.dispatched().get(0));
        assertThat(dispatcher.runDue()).isEqualTo(1);
        assertThat(journal.entries()).containsExactly("create");
        assertThat(count(RIDES)).isEqualTo(1);

        markUndispatched(id);
        clock.advance(Duration.ofMinutes(1));
        assertThat(ops.relayNow()).isEqualTo(1);
        runToEnd();
        assertThat(journal.entries()).containsExactly("create", "charge");
        assertThat(count(RIDES)).isEqualTo(1);
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void idempotencyKeysAreStableAcrossRetriesAndDifferBetweenVisits() {
        List<String> keys = new ArrayList<>();
        AtomicInteger tries = new AtomicInteger();
        start(define("loop", f -> f
                .action("call-provider", ctx -> {
                    keys.add(ctx.idempotencyKey());
                    if (tries.incrementAndGet() == 1) throw new IllegalStateException("timeout");
                    ctx.set("visits", ctx.find("visits", Integer.class).orElse(0) + 1);
                }, StepOptions.retry(RetryPolicy.fixed(3, Duration.ofSeconds(1))))
                .decision("again?", ctx -> ctx.get("visits", Integer.class) < 2, "call-provider", "done")
                .result("done")));
        scheduler().enqueue("loop", Map.of());
        runToEnd();
        assertThat(keys).hasSize(3);
        assertThat(keys.get(1)).as("a retry of the same visit").isEqualTo(keys.get(0));
        assertThat(keys.get(2)).as("a second visit of the same step").isNotEqualTo(keys.get(1));
    }

    @Test
    void stagedWorkAndOperationsAreDispatchedOnlyForACommittedCompletion() {
        AtomicInteger tries = new AtomicInteger();
        start(oneStep("receipt"), define("ride", f -> f
                .action("create", ctx -> {
                    int attempt = tries.incrementAndGet();
                    ctx.stage(new StagedWork(UUID.randomUUID(), "mail", "receipt for try " + attempt));
                    ctx.enqueueAfterCommit("receipt", Map.of("try", attempt));
                    if (attempt == 1) throw new IllegalStateException("failed after staging");
                }, StepOptions.retry(RetryPolicy.fixed(2, Duration.ofSeconds(1))))
                .result("done")));
        scheduler().enqueue("ride", Map.of());
        dispatcher.runDue();
        assertThat(dispatcher.staged()).isEmpty();
        assertThat(count("durable_operations")).as("no operation staged by the failed try").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        runToEnd();
        assertThat(dispatcher.staged()).extracting(StagedWork::payload).containsExactly("receipt for try 2");
        assertThat(count("durable_operations")).isEqualTo(2);
        assertThat(journal.entries()).containsExactly("receipt");
        assertThat(count("durable_staged_work")).as("deleted once dispatched").isZero();
        clock.advance(Duration.ofMinutes(1));
        ops.relayNow();
        assertThat(dispatcher.staged()).as("dispatched once").hasSize(1);
    }

    @Test
    void workWhoseDispatchFailedAfterTheCommitIsDispatchedByTheRelay() {
        start(define("ride", f -> f.action("create", ctx -> ctx.stage(new StagedWork(UUID.randomUUID(), "mail", "hello"))).result("done")));
        OperationId id = scheduler().enqueue("ride", Map.of());
        dispatcher.failDispatches(true); // the job store is down after the step's commit
        dispatcher.runDue();
        assertThat(dispatcher.staged()).isEmpty();
        assertThat(count("durable_staged_work")).isEqualTo(1);
        assertThat(scheduler().attempts(id)).extracting(AttemptView::step).containsExactly("create", "done");

        dispatcher.failDispatches(false);
        clock.advance(Duration.ofSeconds(6));
        assertThat(ops.relayNow()).as("the next attempt and the staged item").isEqualTo(2);
        runToEnd();
        assertThat(dispatcher.staged()).extracting(StagedWork::payload).containsExactly("hello");
        assertThat(count("durable_staged_work")).isZero();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    void insertRide(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RIDES + " (id, note) VALUES (?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, "created");
            ps.executeUpdate();
        }
    }

    void markUndispatchedAttempt(UUID attemptId) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET dispatch_pending = 1 WHERE id = ?")) {
            ps.setString(1, attemptId.toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    long count(String table) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}

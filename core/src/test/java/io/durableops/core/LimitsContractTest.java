package io.durableops.core;

import io.durableops.core.testing.ManualDispatcher;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Limits: global and per-node concurrency, per-key order, rates and priorities, across nodes, on every database. */
abstract class LimitsContractTest extends EngineTestBase {

    /** Counts the steps running at once and remembers the most. */
    static final class Running {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        void during(Runnable work) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                work.run();
            } finally {
                now.decrementAndGet();
            }
        }
    }

    /** A step's work: long enough that steps on other threads overlap it. */
    static void work() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }

    DurableOps node(String name, ManualDispatcher dispatcher, FastPath fastPath, OperationDefinition... definitions) {
        return DurableOps.builder().name(name).dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock)
                .fastPath(fastPath).dispatcher(dispatcher).relayInterval(Duration.ZERO).register(definitions).build();
    }

    /**
     * Runs {@code nodes}' dispatchers on {@code threadsPerNode} threads each until {@code done} holds, the relays passing
     * meanwhile (as their timers would).
     */
    void runNodes(List<DurableOps> nodes, List<ManualDispatcher> dispatchers, int threadsPerNode, java.util.function.BooleanSupplier done)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(dispatchers.size() * threadsPerNode);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (ManualDispatcher d : dispatchers) {
                for (int t = 0; t < threadsPerNode; t++) {
                    running.add(threads.submit(() -> {
                        while (!stop.get()) {
                            if (d.runDue() == 0) Thread.onSpinWait();
                        }
                    }));
                }
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (DurableOps node : nodes) node.relayNow();
                return done.getAsBoolean();
            });
        } finally {
            stop.set(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : running) f.get();
        }
    }

    long count(String definition, OperationStatus status) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM durable_operations WHERE definition = ? AND status = ?")) {
            ps.setString(1, definition);
            ps.setString(2, status.name());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aGlobalLimitHoldsAcrossThreeNodesAndEveryOperationCompletes() throws Exception {
        Running running = new Running();
        OperationDefinition payment = define("payment", f -> f.limit(Limit.concurrency(5))
                .action("authorise", ctx -> running.during(LimitsContractTest::work))
                .action("capture", ctx -> running.during(LimitsContractTest::work))
                .result("done"));
        List<ManualDispatcher> dispatchers = List.of(new ManualDispatcher(clock), new ManualDispatcher(clock), new ManualDispatcher(clock));
        List<DurableOps> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) nodes.add(node("node-" + i, dispatchers.get(i), i == 0 ? FastPath.defaults() : FastPath.off(), payment));
            for (int i = 0; i < 200; i++) nodes.get(i % 3).scheduler().enqueue("payment", Map.of("n", i));
            runNodes(nodes, dispatchers, 3, () -> count("payment", OperationStatus.COMPLETED) == 200);
        } finally {
            for (DurableOps node : nodes) node.close();
        }
        assertThat(running.most.get()).isLessThanOrEqualTo(5).isGreaterThan(1);
        assertThat(count("payment", OperationStatus.RUNNING)).isZero();
    }

    @Test
    void aPerKeyLimitRunsOneOperationPerKeyAtATimeInEnqueueOrder() throws Exception {
        Map<String, Running> perKey = new ConcurrentHashMap<>();
        Map<String, List<Integer>> started = new ConcurrentHashMap<>();
        OperationDefinition renewal = define("renewal", f -> f.limit(Limit.perKey("customer", 1))
                .action("start", ctx -> {
                    String customer = ctx.get("customer", String.class);
                    started.computeIfAbsent(customer, k -> new CopyOnWriteArrayList<>()).add(ctx.get("n", Integer.class));
                    Running r = perKey.computeIfAbsent(customer, k -> new Running());
                    r.most.accumulateAndGet(r.now.incrementAndGet(), Math::max);
                    work();
                })
                .action("charge", ctx -> work())
                .result("done", (ctx, results) -> perKey.get(ctx.get("customer", String.class)).now.decrementAndGet()));
        List<ManualDispatcher> dispatchers = List.of(new ManualDispatcher(clock), new ManualDispatcher(clock));
        List<DurableOps> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) nodes.add(node("node-" + i, dispatchers.get(i), i == 0 ? FastPath.defaults() : FastPath.off(), renewal));
            for (int i = 0; i < 100; i++) nodes.get(i % 2).scheduler().enqueue("renewal", Map.of("customer", "customer-" + (i % 10), "n", i));
            runNodes(nodes, dispatchers, 3, () -> count("renewal", OperationStatus.COMPLETED) == 100);
        } finally {
            for (DurableOps node : nodes) node.close();
        }
        assertThat(started).hasSize(10);
        for (Map.Entry<String, List<Integer>> key : started.entrySet()) {
            assertThat(perKey.get(key.getKey()).most.get()).as(key.getKey()).isEqualTo(1);
            assertThat(key.getValue()).as("the order " + key.getKey() + "'s operations started in").hasSize(10).isSorted();
        }
    }

    @Test
    void aRateLimitLetsNoWindowExceedItAndTheRestWait() {
        List<Instant> starts = new CopyOnWriteArrayList<>();
        ops = start(define("charge", f -> f
                .action("charge-card", ctx -> starts.add(clock.instant()), StepOptions.limit(Limit.rate(20, Duration.ofSeconds(1))))
                .result("done")));
        List<OperationId> ids = new ArrayList<>();
        for (int i = 0; i < 70; i++) ids.add(scheduler().enqueue("charge", Map.of("n", i)));
        dispatcher.runDue();
        assertThat(starts).hasSize(20);
        assertThat(scheduler().get(ids.get(69)).queuedReason()).contains("queued: rate 20 per PT1S reached");
        for (int round = 0; round < 40 && count("charge", OperationStatus.COMPLETED) < 70; round++) {
            clock.advance(Duration.ofMillis(250));
            ops.relayNow();
            dispatcher.runDue();
        }
        assertThat(starts).hasSize(70);
        List<Instant> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        for (Instant from : sorted) {
            long inWindow = sorted.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plusSeconds(1))).count();
            assertThat(inWindow).as("starts in the second from " + from).isLessThanOrEqualTo(20);
        }
        assertThat(Duration.between(sorted.get(0), sorted.get(69))).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        for (OperationId id : ids) assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aWaitingOperationSaysWhyAndTheHighestPriorityGoesFirst() throws Exception {
        Gate gate = new Gate();
        List<String> order = new CopyOnWriteArrayList<>();
        ops = start(define("report", f -> f.limit(Limit.concurrency(1)).priority(5)
                .action("build", ctx -> {
                    order.add(ctx.get("name", String.class));
                    if (ctx.get("name", String.class).equals("first")) gate.hold();
                })
                .result("done")));
        OperationId first = scheduler().enqueue("report", Map.of("name", "first"));
        List<OperationId> waiting = new ArrayList<>();
        whileAWorkerHolds(gate, () -> {
            waiting.add(scheduler().enqueue("report", Map.of("name", "low"), EnqueueOptions.priority(-3)));
            waiting.add(scheduler().enqueue("report", Map.of("name", "default")));
            waiting.add(scheduler().enqueue("report", Map.of("name", "urgent"), EnqueueOptions.priority(100)));
            dispatcher.runDue();
            for (OperationId id : waiting) {
                OperationView view = scheduler().get(id);
                assertThat(view.status()).isEqualTo(OperationStatus.RUNNING);
                assertThat(view.queuedReason()).contains("queued: concurrency 1 of 1 in use");
                assertThat(scheduler().attempts(id).get(0).reason()).contains("queued: concurrency 1 of 1 in use");
                assertThat(scheduler().attempts(id).get(0).attemptCount()).isZero();
            }
        });
        runToEnd();
        assertThat(order).containsExactly("first", "urgent", "default", "low");
        assertThat(scheduler().get(first).queuedReason()).isEmpty();
        for (OperationId id : waiting) {
            assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(scheduler().get(id).queuedReason()).isEmpty();
        }
    }

    @Test
    void thePlacesOfAKilledNodeComeBackWhenItsLeaseRunsOut() throws Exception {
        ops = start(define("sync", f -> f.limit(Limit.concurrency(2)).action("call", ctx -> journal.ran("call")).result("done")));
        // a node killed while it held both places: their rows say so, until its lease (60 s from now) runs out
        try (Connection c = db.dataSource().getConnection()) {
            for (int place = 0; place < 2; place++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO durable_permits (limit_name, permit, holder, token, busy_until) "
                        + "VALUES ('c:sync', ?, ?, ?, ?)")) {
                    ps.setInt(1, place);
                    ps.setString(2, java.util.UUID.randomUUID().toString());
                    ps.setString(3, java.util.UUID.randomUUID().toString());
                    ps.setObject(4, java.time.LocalDateTime.ofInstant(clock.instant().plusSeconds(60), java.time.ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }
        }
        OperationId id = scheduler().enqueue("sync", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(id).queuedReason()).contains("queued: concurrency 2 of 2 in use");
        clock.advance(Duration.ofSeconds(59));
        ops.relayNow();
        dispatcher.runDue();
        assertThat(journal.entries()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        ops.relayNow();
        runToEnd();
        assertThat(journal.entries()).containsExactly("call");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aPerNodeLimitQueuesOnAFullNodeWhileAnotherNodeRuns() throws Exception {
        Gate gate = new Gate();
        OperationDefinition export = define("export", f -> f.limit(Limit.perNode(1))
                .action("write", ctx -> {
                    journal.ran("write:" + ctx.get("name", String.class));
                    if (ctx.get("name", String.class).equals("held")) gate.hold();
                })
                .result("done"));
        ops = start(export);
        ManualDispatcher otherDispatcher = new ManualDispatcher(clock);
        try (DurableOps other = node("other", otherDispatcher, FastPath.off(), export)) {
            scheduler().enqueue("export", Map.of("name", "held"));
            whileAWorkerHolds(gate, () -> {
                OperationId queued = scheduler().enqueue("export", Map.of("name", "queued-here"));
                dispatcher.runDue();
                assertThat(scheduler().get(queued).queuedReason()).contains("queued: 1 of 1 per node in use on this node");
                OperationId elsewhere = other.scheduler().enqueue("export", Map.of("name", "elsewhere"));
                otherDispatcher.runDue();
                assertThat(other.scheduler().get(elsewhere).status()).isEqualTo(OperationStatus.COMPLETED);
            });
            runToEnd();
        }
        assertThat(journal.entries()).containsExactlyInAnyOrder("write:held", "write:elsewhere", "write:queued-here");
        assertThat(count("export", OperationStatus.COMPLETED)).isEqualTo(3);
    }

    @Test
    void aStepsOwnLimitCountsThatStepOnTheFastPathToo() throws Exception {
        Gate gate = new Gate();
        ops = start(AesGcmEncryptor.of("k1", KEY), FastPath.defaults(), define("order", f -> f
                .action("reserve", ctx -> journal.ran("reserve:" + ctx.get("n", Integer.class)))
                .action("charge", ctx -> {
                    journal.ran("charge:" + ctx.get("n", Integer.class));
                    if (ctx.get("n", Integer.class) == 1) gate.hold();
                }, StepOptions.limit(Limit.concurrency(1)))
                .result("done")));
        scheduler().enqueue("order", Map.of("n", 1));
        whileAWorkerHolds(gate, () -> {
            OperationId second = scheduler().enqueue("order", Map.of("n", 2));
            dispatcher.runDue();
            assertThat(journal.entries()).contains("reserve:2").doesNotContain("charge:2");
            OperationView view = scheduler().get(second);
            assertThat(view.currentStep()).isEqualTo("charge");
            assertThat(view.queuedReason()).contains("queued: concurrency 1 of 1 in use");
        });
        runToEnd();
        assertThat(journal.entries()).contains("charge:2");
        assertThat(count("order", OperationStatus.COMPLETED)).isEqualTo(2);
    }

    @Test
    void aFailedOperationRetriedByAnOperatorWaitsForItsKeyAgain() {
        java.util.concurrent.atomic.AtomicBoolean providerDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        ops = start(define("invoice", f -> f.limit(Limit.perKey("account", 1))
                .action("send", ctx -> {
                    journal.ran("send:" + ctx.get("n", Integer.class));
                    if (ctx.get("n", Integer.class) == 1 && providerDown.get()) throw new IllegalStateException("provider down");
                }, StepOptions.retry(RetryPolicy.none()))
                .awaitSignal("paid?", "paid", WaitOptions.defaults())
                .result("done")));
        OperationId failed = scheduler().enqueue("invoice", Map.of("account", "a-1", "n", 1));
        dispatcher.runDue();
        assertThat(scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        OperationId next = scheduler().enqueue("invoice", Map.of("account", "a-1", "n", 2));
        dispatcher.runDue();
        assertThat(scheduler().get(next).currentStep()).isEqualTo("paid?");

        providerDown.set(false);
        ops.admin().as("ann").retry(failed);
        dispatcher.runDue();
        assertThat(journal.count("send:1")).isEqualTo(1); // it waits: the operation enqueued after it holds the key now
        assertThat(scheduler().get(failed).queuedReason()).contains("queued: 1 of 1 operations with the same account running");

        scheduler().signal(next, "paid", Map.of());
        runToEnd();
        assertThat(scheduler().get(next).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.count("send:1")).isEqualTo(2);
        assertThat(scheduler().get(failed).currentStep()).isEqualTo("paid?");
    }

    @Test
    void limitsAreCheckedWhereTheyAreDeclared() {
        assertThatThrownBy(() -> StepOptions.limit(Limit.perKey("customer", 1))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Flow.limit");
        assertThatThrownBy(() -> Limit.concurrency(0)).isInstanceOf(ConfigurationException.class).hasMessageContaining("1 to 10000");
        assertThatThrownBy(() -> Limit.rate(5, Duration.ZERO)).isInstanceOf(ConfigurationException.class).hasMessageContaining("1 ms to 1 day");
        assertThatThrownBy(() -> EnqueueOptions.priority(1001)).isInstanceOf(ConfigurationException.class).hasMessageContaining("-1000 to 1000");
        assertThatThrownBy(() -> start(define("twice", f -> f.limit(Limit.concurrency(1)).limit(Limit.concurrency(2)).result("done"))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("repeats a limit of the same kind");
        ops = start(define("keyed", f -> f.limit(Limit.perKey("customer", 1)).result("done")));
        assertThatThrownBy(() -> scheduler().enqueue("keyed", Map.of())).isInstanceOf(MissingInputException.class).hasMessageContaining("customer");
    }
}

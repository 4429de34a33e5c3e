package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.spi.DispatcherFactory;
import io.durableops.core.test.SharedJobs;
import io.durableops.core.testing.Invariants;
import io.durableops.core.testing.ManualDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Deploys and restarts, on a real database: a node that closes drains and hands back what it could not finish
 * without using a try; an operation at a step no running node has is paused, visibly, after the grace, keeps its
 * signals and is moved on by an operator; nodes of two builds share the work, each running what it has. Every
 * database runs it through a small subclass.
 */
abstract class DeployContractTest extends EngineTestBase {
    static final Duration GRACE = Duration.ofMinutes(1);
    private final List<DurableOps> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        for (DurableOps node : nodes) node.close();
    }

    DurableOps node(DispatcherFactory dispatcher, Duration drain, OperationDefinition... definitions) {
        DurableOps node = DurableOps.builder().dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO).strandedGrace(GRACE).drainTimeout(drain).register(definitions).build();
        nodes.add(node);
        return node;
    }

    /** charge (no retries; holds at the gate on its first run) then ship. */
    private OperationDefinition careful(Gate gate, AtomicInteger runs) {
        return define("careful", f -> f
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (runs.incrementAndGet() == 1) gate.hold();
                }, StepOptions.retry(RetryPolicy.none()))
                .action("ship", record(journal, "ship"))
                .result("done"));
    }

    /** A fresh node runs what the closed one left: the relay offers it once the dispatch grace has passed. */
    private void aFreshNodeFinishes(OperationDefinition definition, OperationId id) {
        ManualDispatcher next = new ManualDispatcher(clock);
        DurableOps fresh = node(next, Duration.ofSeconds(30), definition);
        clock.advance(Duration.ofSeconds(10));
        fresh.relayNow();
        next.runDue();
        assertThat(fresh.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aClosingNodeLetsTheStepItRunsFinishAndClaimsNothingMore() throws Exception {
        Gate gate = new Gate();
        OperationDefinition definition = careful(gate, new AtomicInteger());
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ofSeconds(30), definition);
        OperationId id = old.scheduler().enqueue("careful", Map.of());
        Thread worker = new Thread(first::runDue, "worker");
        worker.start();
        gate.inside.await();
        Thread closer = new Thread(old::close, "closer");
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING); // it drains
        gate.release.countDown();
        worker.join();
        closer.join();
        assertThat(journal.entries()).as("the running step finished; the next one was left to another node").containsExactly("charge");

        aFreshNodeFinishes(definition, id);
        assertThat(journal.entries()).containsExactly("charge", "ship");
        assertThat(last().scheduler().attempts(id).get(0).attemptCount()).isEqualTo(1);
    }

    @Test
    void aStepStillRunningWhenTheDrainEndsIsHandedBackWithoutUsingATry() throws Exception {
        Gate gate = new Gate();
        OperationDefinition definition = careful(gate, new AtomicInteger());
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ZERO, definition);
        OperationId id = old.scheduler().enqueue("careful", Map.of());
        Thread worker = new Thread(first::runDue, "worker");
        worker.start();
        gate.inside.await();
        old.close(); // the drain timeout is zero: the try is handed back at once
        AttemptView handedBack = old.scheduler().attempts(id).get(0);
        assertThat(handedBack.status()).isEqualTo(AttemptStatus.SCHEDULED);
        assertThat(handedBack.attemptCount()).as("the shutdown used no try").isZero();
        gate.release.countDown(); // the step returns, too late: its outcome is no longer its own
        worker.join();

        aFreshNodeFinishes(definition, id);
        assertThat(journal.count("charge")).as("at least once: the handed-back step ran again").isEqualTo(2);
        AttemptView charge = last().scheduler().attempts(id).get(0);
        assertThat(charge.attemptCount()).isEqualTo(1);
        assertThat(charge.errors()).isEmpty();
    }

    @Test
    void aStepInterruptedByTheShutdownIsNotAFailure() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        OperationDefinition definition = define("careful", f -> f
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (runs.incrementAndGet() == 1) {
                        running.countDown();
                        new CountDownLatch(1).await(); // until interrupted, as JobRunr's stop() interrupts its workers
                    }
                }, StepOptions.retry(RetryPolicy.none()))
                .action("ship", record(journal, "ship"))
                .result("done"));
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ZERO, definition);
        OperationId id = old.scheduler().enqueue("careful", Map.of());
        Thread worker = new Thread(first::runDue, "worker");
        worker.start();
        running.await();
        old.close();
        worker.interrupt();
        worker.join();
        assertThat(old.scheduler().get(id).status()).as("not FAILED by the shutdown").isEqualTo(OperationStatus.RUNNING);
        assertThat(old.scheduler().attempts(id).get(0).errors()).isEmpty();

        aFreshNodeFinishes(definition, id);
        assertThat(last().scheduler().attempts(id).get(0).attemptCount()).isEqualTo(1);
    }

    /** Runs relay passes of {@code node} until the grace has passed: the stranded sweep pauses what it must. */
    private void passTheGrace(DurableOps node) {
        node.relayNow();
        clock.advance(GRACE.plusSeconds(31));
        node.relayNow();
    }

    /** The node started last. */
    private DurableOps last() {
        return nodes.get(nodes.size() - 1);
    }

    @Test
    void aParkedWaitADeployRenamedIsPausedWithItsReasonKeepsItsSignalAndIsMovedOn() {
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ofSeconds(30), OperationDefinition.of("approval", 1, f -> f
                .action("prepare", record(journal, "prepare"))
                .awaitSignal("await-approval", "approved", WaitOptions.defaults())
                .result("done")));
        OperationId id = old.scheduler().enqueue("approval", Map.of());
        first.runDue();
        assertThat(old.scheduler().get(id).currentStep()).isEqualTo("await-approval");
        old.close();

        ManualDispatcher second = new ManualDispatcher(clock);
        DurableOps renamed = node(second, Duration.ofSeconds(30), OperationDefinition.of("approval", 2, f -> f
                .action("prepare", record(journal, "prepare"))
                .awaitSignal("await-sign-off", "approved", WaitOptions.defaults())
                .result("done")));
        renamed.scheduler().signal(id, "approved", Map.of("by", "ann"));
        passTheGrace(renamed);

        OperationView paused = renamed.scheduler().get(id);
        assertThat(paused.status()).isEqualTo(OperationStatus.PAUSED);
        assertThat(paused.failureReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("'approval'").contains("step 'await-approval'").contains("version 1").contains("version 2")
                .contains("prepare, await-sign-off, done"));
        assertThat(renamed.scheduler().pendingSignals(id)).containsExactly("approved");
        renamed.scheduler().signal(id, "approved", Map.of("by", "bob")); // a signal to a paused operation is kept too
        assertThat(renamed.scheduler().pendingSignals(id)).containsExactly("approved", "approved");
        int attempts = renamed.scheduler().attempts(id).size();
        passTheGrace(renamed);
        assertThat(renamed.scheduler().attempts(id)).as("nothing loops").hasSize(attempts);

        renamed.admin().as("ann").move(id, "await-sign-off");
        second.runDue();
        OperationView done = renamed.scheduler().get(id);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.definitionVersion()).as("moved to the running version").isEqualTo(2);
        assertThat(done.globals().get("approved", Map.class)).containsEntry("by", "ann");
        assertThat(renamed.admin().audit(id)).extracting(AuditEntry::action, e -> e.detail().orElse(""))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("move", "step await-sign-off of version 2"));
        assertThat(Invariants.violations(db.dataSource())).isEmpty();
    }

    @Test
    void aDelayedStepADeployRemovedIsPausedLongBeforeItWasDue() {
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ofSeconds(30), OperationDefinition.of("shipping", 1, f -> f
                .action("pack", record(journal, "pack"))
                .action("ship", record(journal, "ship"), StepOptions.delay(Duration.ofHours(6)))
                .result("done")));
        OperationId id = old.scheduler().enqueue("shipping", Map.of());
        first.runDue();
        old.close();

        ManualDispatcher second = new ManualDispatcher(clock);
        DurableOps renamed = node(second, Duration.ofSeconds(30), OperationDefinition.of("shipping", 2, f -> f
                .action("pack", record(journal, "pack"))
                .action("dispatch", record(journal, "dispatch"), StepOptions.delay(Duration.ofHours(6)))
                .result("done")));
        passTheGrace(renamed);
        assertThat(renamed.scheduler().get(id).status()).isEqualTo(OperationStatus.PAUSED);
        assertThat(renamed.scheduler().get(id).failureReason()).hasValueSatisfying(r -> assertThat(r).contains("step 'ship'"));
        renamed.admin().as("ann").move(id, "dispatch");
        clock.advance(Duration.ofHours(6));
        second.runDue();
        assertThat(renamed.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("pack", "dispatch");
    }

    @Test
    void aParentWaitingForItsChildrenAtARenamedStepIsPausedAndMovedOnWithTheirResults() {
        OperationDefinition child = define("child", f -> f.action("work", record(journal, "work"), StepOptions.delay(Duration.ofMinutes(5)))
                .result("done", (ctx, results) -> results.put("answer", 42)));
        SharedJobs jobs = new SharedJobs(clock); // the job queue outlives the node, as JobRunr's does
        SharedJobs.Node oldNode = jobs.node("old");
        DurableOps old = node(oldNode, Duration.ofSeconds(30), child, OperationDefinition.of("parent", 1, f -> f
                .action("spawn", ctx -> ctx.startChild("child", Map.of()))
                .awaitChildren("join", WaitOptions.defaults())
                .result("done")));
        OperationId parent = old.scheduler().enqueue("parent", Map.of());
        jobs.runDue();
        old.close();
        oldNode.down();

        DurableOps renamed = node(jobs.node("new"), Duration.ofSeconds(30), child, OperationDefinition.of("parent", 2, f -> f
                .action("spawn", ctx -> ctx.startChild("child", Map.of()))
                .awaitChildren("gather", WaitOptions.defaults())
                .result("done")));
        clock.advance(Duration.ofMinutes(5));
        jobs.runDue(); // the child ends on the new node; its parent's wait is one this node does not have
        assertThat(journal.entries()).containsExactly("work");
        passTheGrace(renamed);
        assertThat(renamed.scheduler().get(parent).status()).isEqualTo(OperationStatus.PAUSED);

        renamed.admin().as("ann").move(parent, "gather");
        jobs.runDue();
        OperationView done = renamed.scheduler().get(parent);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.globals().get("children", List.class)).hasSize(1);
    }

    @Test
    void anOperationWhoseDefinitionADeployRemovedIsPausedAndCanBeEnded() {
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ofSeconds(30), define("legacy", f -> f
                .action("old-work", record(journal, "old-work"), StepOptions.delay(Duration.ofMinutes(1))).result("done")));
        OperationId id = old.scheduler().enqueue("legacy", Map.of());
        old.close();

        ManualDispatcher second = new ManualDispatcher(clock);
        DurableOps current = node(second, Duration.ofSeconds(30), define("other", f -> f.result("done")));
        clock.advance(Duration.ofMinutes(1));
        current.relayNow();
        second.runDue(); // it lands here, on a node without it: handed back, not failed
        assertThat(current.scheduler().get(id).status()).isEqualTo(OperationStatus.RUNNING);
        passTheGrace(current);
        OperationView paused = current.scheduler().get(id);
        assertThat(paused.status()).isEqualTo(OperationStatus.PAUSED);
        assertThat(paused.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("no running node has definition 'legacy'"));
        assertThat(journal.entries()).isEmpty();
        assertThatThrownBy(() -> current.admin().as("ann").move(id, "old-work")).isInstanceOf(UnknownDefinitionException.class);
        current.admin().as("ann").cancel(id);
        assertThat(current.scheduler().get(id).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(Invariants.violations(db.dataSource())).isEmpty();
    }

    @Test
    void nodesOfTwoBuildsShareTheWorkAndEachStepRunsOnANodeThatHasIt() {
        SharedJobs jobs = new SharedJobs(clock);
        SharedJobs.Node oldNode = jobs.node("old");
        SharedJobs.Node newNode = jobs.node("new");
        DurableOps old = node(oldNode, Duration.ofSeconds(30), OperationDefinition.of("order", 1, f -> f
                .action("reserve", record(journal, "reserve"))
                .action("bill", ctx -> journal.ran("bill@old"), StepOptions.delay(Duration.ofSeconds(10)))
                .action("ship", record(journal, "ship"))
                .result("done")));
        DurableOps current = node(newNode, Duration.ofSeconds(30), OperationDefinition.of("order", 2, f -> f
                .action("reserve", record(journal, "reserve"))
                .action("invoice", ctx -> journal.ran("invoice@new"), StepOptions.delay(Duration.ofSeconds(10)))
                .action("ship", record(journal, "ship"))
                .result("done")));
        List<OperationId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(old.scheduler().enqueue("order", Map.of("n", i)));
            ids.add(current.scheduler().enqueue("order", Map.of("n", i)));
        }
        for (int round = 0; round < 20 && !ids.stream().allMatch(id -> old.scheduler().get(id).status().isTerminal()); round++) {
            jobs.runDue();
            old.relayNow();
            current.relayNow();
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(ids).allSatisfy(id -> assertThat(old.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED));
        assertThat(journal.count("bill@old")).isEqualTo(6);
        assertThat(journal.count("invoice@new")).isEqualTo(6);
        assertThat(journal.count("ship")).isEqualTo(12);
        assertThat(Invariants.violations(db.dataSource())).isEmpty();
    }

    @Test
    void thePreDeployCheckListsWhatANewBuildWouldStrandAndPassesASafeOne() {
        ManualDispatcher first = new ManualDispatcher(clock);
        OperationDefinition v1 = OperationDefinition.of("approval", 1, f -> f
                .action("prepare", record(journal, "prepare"))
                .awaitSignal("await-approval", "approved", WaitOptions.defaults())
                .result("done"));
        DurableOps old = node(first, Duration.ofSeconds(30), v1);
        List<OperationId> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) waiting.add(old.scheduler().enqueue("approval", Map.of("n", i)));
        first.runDue();

        OperationDefinition renamed = OperationDefinition.of("approval", 2, f -> f
                .action("prepare", record(journal, "prepare"))
                .awaitSignal("await-sign-off", "approved", WaitOptions.defaults())
                .result("done"));
        DeployCheck.Report unsafe = DeployCheck.against(db.dataSource(), List.of(renamed));
        assertThat(unsafe.safe()).isFalse();
        assertThat(unsafe.stranded()).singleElement().satisfies(s -> {
            assertThat(s.definition()).isEqualTo("approval");
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.step()).isEqualTo("await-approval");
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.examples()).hasSize(3).allMatch(waiting::contains);
        });
        assertThat(unsafe.describe()).contains("approval version 1 at step 'await-approval': 3 operations");
        assertThat(DeployCheck.against(db.dataSource(), List.of(v1, renamed)).safe()).as("both versions side by side").isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = {"--url", db.jdbcUrl(), "--user", db.user(), "--password", "", "--definitions", RenamedBuild.class.getName()};
        assertThat(DeployCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("await-approval");
        args[args.length - 1] = SafeBuild.class.getName();
        assertThat(DeployCheck.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).isZero();
        assertThat(DeployCheck.run(new String[]{"--url"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).isEqualTo(2);
    }

    /** The next build as the command loads it: version 2 only, with the wait renamed. */
    public static final class RenamedBuild implements java.util.function.Supplier<java.util.Collection<OperationDefinition>> {
        @Override
        public java.util.Collection<OperationDefinition> get() {
            return List.of(OperationDefinition.of("approval", 2, f -> f.action("prepare", ctx -> { })
                    .awaitSignal("await-sign-off", "approved", WaitOptions.defaults()).result("done")));
        }
    }

    /** A safe next build: version 1 kept beside version 2 until its operations drain. */
    public static final class SafeBuild implements java.util.function.Supplier<java.util.Collection<OperationDefinition>> {
        @Override
        public java.util.Collection<OperationDefinition> get() {
            List<OperationDefinition> all = new ArrayList<>(new RenamedBuild().get());
            all.add(OperationDefinition.of("approval", 1, f -> f.action("prepare", ctx -> { })
                    .awaitSignal("await-approval", "approved", WaitOptions.defaults()).result("done")));
            return all;
        }
    }

    /** A job system that, like JobRunr, ignores a job created again with an id (attempt and generation) it has seen. */
    static final class IdsOnce implements DispatcherFactory, io.durableops.core.spi.Dispatcher {
        final ManualDispatcher target;
        final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        IdsOnce(ManualDispatcher target) {
            this.target = target;
        }

        @Override
        public io.durableops.core.spi.Dispatcher create(String instanceName, io.durableops.core.spi.AttemptRunner runner) {
            target.create(instanceName, runner);
            return this;
        }

        @Override
        public void dispatch(List<io.durableops.core.spi.DispatchRequest> requests) {
            target.dispatch(requests.stream().filter(r -> seen.add(r.attemptId() + ":" + r.generation())).toList());
        }
    }

    @Test
    void aJobTakenByAServerThatStoppedBeforeRunningItIsDispatchedAgainAfterALease() {
        ManualDispatcher jobs = new ManualDispatcher(clock);
        DurableOps node = node(new IdsOnce(jobs), Duration.ofSeconds(30), define("simple", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id = node.scheduler().enqueue("simple", Map.of());
        jobs.dropPending(); // the job was taken, and its server stopped before it ran it
        clock.advance(Duration.ofSeconds(10));
        node.relayNow(); // offered again under the same job id: ignored, as JobRunr would
        jobs.runDue();
        assertThat(journal.entries()).isEmpty();
        clock.advance(Duration.ofSeconds(61)); // a whole lease: the job is taken to be lost
        node.relayNow();
        jobs.runDue();
        assertThat(node.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("a");
    }

    @Test
    void operationsShowAndFilterByTheVersionTheyRunOn() {
        ManualDispatcher first = new ManualDispatcher(clock);
        DurableOps old = node(first, Duration.ofSeconds(30), OperationDefinition.of("order", 1, f -> f.action("a", ctx -> { },
                StepOptions.delay(Duration.ofHours(1))).result("done")));
        OperationId one = old.scheduler().enqueue("order", Map.of());
        old.close();
        DurableOps current = node(new ManualDispatcher(clock), Duration.ofSeconds(30),
                OperationDefinition.of("order", 1, f -> f.action("a", ctx -> { }, StepOptions.delay(Duration.ofHours(1))).result("done")),
                OperationDefinition.of("order", 2, f -> f.action("a", ctx -> { }, StepOptions.delay(Duration.ofHours(1))).result("done")));
        OperationId two = current.scheduler().enqueue("order", Map.of());
        assertThat(current.scheduler().get(one).definitionVersion()).isEqualTo(1);
        assertThat(current.scheduler().get(two).definitionVersion()).as("new operations start on the latest").isEqualTo(2);
        OperationPage onTwo = current.admin().list(OperationQuery.builder().definition("order").definitionVersion(2).build());
        assertThat(onTwo.items()).extracting(OperationSummary::id).containsExactly(two);
        assertThat(onTwo.items().get(0).definitionVersion()).isEqualTo(2);
    }
}

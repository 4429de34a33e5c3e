package io.durableops.jobrunr;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.test.Journal;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable Ops on a real JobRunr server. The poll interval is set to 30 s on purpose: every test finishes long before
 * JobRunr would have polled, which proves that steps are started by the local wake-up and timers, not by the poll.
 */
abstract class JobRunrContractTest {
    static final Duration POLL = Duration.ofSeconds(30);
    static final Duration WELL_WITHIN_POLL = Duration.ofSeconds(15);

    final Journal journal = new Journal();
    TestDatabase db;
    JobRunrHarness harness;

    abstract TestDatabase database();

    @BeforeEach
    void openDatabase() {
        db = database();
    }

    @AfterEach
    void close() {
        if (harness != null) harness.close();
        if (db != null) db.close();
    }

    @Test
    void eachStepRunsAsItsOwnJobRunrJobInOrder() {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("three", f -> f
                .action("a", record(journal, "a"))
                .action("b", record(journal, "b"))
                .action("c", record(journal, "c"))
                .result("done")));
        OperationId id = harness.ops.scheduler().enqueue("three", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);

        assertThat(journal.entries()).containsExactly("a", "b", "c");
        List<AttemptView> attempts = harness.ops.scheduler().attempts(id);
        assertThat(attempts).extracting(AttemptView::step).containsExactly("a", "b", "c", "done");
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(attempts.get(i).startedAt().orElseThrow())
                    .as("step %s starts after %s finished", attempts.get(i).step(), attempts.get(i - 1).step())
                    .isAfterOrEqualTo(attempts.get(i - 1).finishedAt().orElseThrow());
        }
        for (AttemptView attempt : attempts) {
            Job job = harness.storage.getJobById(JobRunrDispatcher.jobId(attempt.id(), 1));
            await().atMost(WELL_WITHIN_POLL).until(() -> harness.storage.getJobById(job.getId()).hasState(StateName.SUCCEEDED));
            assertThat(job.getJobName()).isEqualTo("three / " + attempt.step() + " / attempt 1");
            assertThat(job.getLabels()).contains("durable-ops", "three");
        }
    }

    @Test
    void aScheduleTicksOnTheRelayAndItsOperationsRunAsJobRunrJobsWithoutWaitingForThePoll() {
        AtomicInteger runs = new AtomicInteger();
        harness = new JobRunrHarness(db.dataSource(), POLL, define("tick", f -> f.action("work", ctx -> runs.incrementAndGet()).result("done")));
        harness.ops.schedules().put("every-second", "tick", io.durableops.core.Schedule.every(Duration.ofSeconds(1)), Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> runs.get() >= 2);
        io.durableops.core.ScheduleView view = harness.ops.schedules().pause("every-second");
        OperationId last = view.lastOperation().orElseThrow();
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(last).status() == OperationStatus.COMPLETED);
        assertThat(harness.ops.scheduler().get(last).globals().get("schedule", String.class)).isEqualTo("every-second");
    }

    @Test
    void aPoolOfTwoConnectionsSharedWithJobRunrRunsTheFastPathWithoutStarving() {
        try (com.zaxxer.hikari.HikariDataSource two = db.pool(2)) {
            harness = new JobRunrHarness(two, POLL, io.durableops.core.FastPath.upTo(50, Duration.ofSeconds(10)), define("three", f -> f
                    .action("a", record(journal, "a"))
                    .action("b", record(journal, "b"))
                    .action("c", record(journal, "c"))
                    .result("done")));
            List<OperationId> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) ids.add(harness.ops.scheduler().enqueue("three", Map.of("n", i)));
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED));
            assertThat(journal.count("a")).isEqualTo(100);
            for (OperationId id : ids) {
                assertThat(harness.ops.scheduler().attempts(id)).as("no try failed for want of a connection")
                        .allSatisfy(attempt -> assertThat(attempt.errors()).isEmpty());
            }
            harness.close();
            harness = null;
        }
    }

    /** charge (no retries) waits for {@code release} on its first run, interruptibly; then ship. */
    private io.durableops.core.OperationDefinition careful(java.util.concurrent.CountDownLatch running, java.util.concurrent.CountDownLatch release,
                                                          AtomicInteger runs) {
        return define("careful", f -> f
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (runs.incrementAndGet() == 1) {
                        running.countDown();
                        release.await();
                    }
                }, StepOptions.retry(RetryPolicy.none()))
                .action("ship", record(journal, "ship"))
                .result("done"));
    }

    /** A fresh JobRunr server and runtime finish what the stopped node left; the step's tries were not used up. */
    private void aFreshNodeCompletes(io.durableops.core.OperationDefinition definition, OperationId id) {
        harness = new JobRunrHarness(db.dataSource(), POLL, io.durableops.core.FastPath.off(), Duration.ofSeconds(5), definition);
        // why up to a minute: a job the stopped server had taken but not run is dispatched again after the 5 s lease
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        AttemptView charge = harness.ops.scheduler().attempts(id).get(0);
        assertThat(charge.attemptCount()).as("the shutdown used no try").isEqualTo(1);
        assertThat(charge.errors()).isEmpty();
    }

    @Test
    void closingDurableOpsBeforeJobRunrLetsTheRunningStepFinish() throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        io.durableops.core.OperationDefinition definition = careful(running, release, new AtomicInteger());
        harness = new JobRunrHarness(db.dataSource(), POLL, io.durableops.core.FastPath.off(), Duration.ofSeconds(30), definition);
        OperationId id = harness.ops.scheduler().enqueue("careful", Map.of());
        running.await();
        JobRunrHarness stopping = harness;
        Thread closer = new Thread(stopping.ops::close, "closer");
        closer.start();
        await().atMost(WELL_WITHIN_POLL).until(() -> closer.getState() == Thread.State.TIMED_WAITING); // draining
        release.countDown();
        closer.join();
        stopping.server.stop();
        stopping.storage.close();
        assertThat(journal.entries()).containsExactly("charge");
        aFreshNodeCompletes(definition, id);
        assertThat(journal.entries()).containsExactly("charge", "ship");
    }

    @Test
    void stoppingJobRunrFirstHandsTheInterruptedStepBackWithoutUsingATry() throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        io.durableops.core.OperationDefinition definition = careful(running, new java.util.concurrent.CountDownLatch(1), new AtomicInteger());
        harness = new JobRunrHarness(db.dataSource(), POLL, io.durableops.core.FastPath.off(), Duration.ofMillis(300), definition);
        OperationId id = harness.ops.scheduler().enqueue("careful", Map.of());
        running.await();
        JobRunrHarness stopping = harness;
        stopping.server.stop(); // the wrong order: JobRunr interrupts the step
        stopping.ops.close();
        stopping.storage.close();
        assertThat(stopping.ops.scheduler().get(id).status()).as("not FAILED by the shutdown").isEqualTo(OperationStatus.RUNNING);
        aFreshNodeCompletes(definition, id);
        assertThat(journal.count("charge")).isEqualTo(2);
    }

    @Test
    void aBatchOfOperationsRunsAndABatchDispatchedAgainLeavesTheJobsThatExistAlone() {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("batch", f -> f.requires("n")
                .action("a", ctx -> journal.ran("a" + ctx.get("n", Integer.class))).result("done")));
        List<OperationId> ids = harness.ops.scheduler().enqueueAll("batch", List.of(Map.of("n", 0), Map.of("n", 1), Map.of("n", 2)));
        await().atMost(WELL_WITHIN_POLL).until(() -> ids.stream().allMatch(id -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED));
        assertThat(journal.entries()).containsExactlyInAnyOrder("a0", "a1", "a2");

        // the relay offering the first steps again, in one batch with an attempt that has no job yet
        List<io.durableops.core.spi.DispatchRequest> again = new java.util.ArrayList<>();
        for (OperationId id : ids) {
            AttemptView first = harness.ops.scheduler().attempts(id).get(0);
            again.add(new io.durableops.core.spi.DispatchRequest(first.id(), 1, id.value(), "batch", first.step(), 1, Instant.now()));
        }
        java.util.UUID fresh = java.util.UUID.randomUUID();
        again.add(new io.durableops.core.spi.DispatchRequest(fresh, 1, java.util.UUID.randomUUID(), "batch", "a", 1,
                Instant.now().plus(Duration.ofHours(1))));
        try (var repeating = JobRunrDispatcher.using(harness.storage, null).create("repeating-node", (attempt, generation) -> journal.ran("again"))) {
            repeating.dispatch(again);
        }

        for (io.durableops.core.spi.DispatchRequest request : again.subList(0, 3)) {
            assertThat(harness.storage.getJobById(JobRunrDispatcher.jobId(request.attemptId(), 1)).getState())
                    .as("the job that ran is left as it was").isEqualTo(StateName.SUCCEEDED);
        }
        assertThat(harness.storage.getJobById(JobRunrDispatcher.jobId(fresh, 1)).getState()).isEqualTo(StateName.SCHEDULED);
        assertThat(journal.entries()).doesNotContain("again");
    }

    @Test
    void aNodeThatOnlyEnqueuesDispatchesAWholeBatchAtOnceEvenOnTheFastPath() {
        var definition = define("batch", f -> f.requires("n").action("a", ctx -> journal.ran("a" + ctx.get("n", Integer.class))).result("done"));
        harness = new JobRunrHarness(db.dataSource(), POLL, io.durableops.core.FastPath.defaults(), definition);
        try (DurableOps enqueuer = DurableOps.builder().name("enqueuer").dataSource(db.dataSource())
                .encryptor(AesGcmEncryptor.of("k1", JobRunrHarness.KEY)).fastPath(io.durableops.core.FastPath.defaults())
                .dispatcher(JobRunrDispatcher.using(harness.storage, null)).register(definition).build()) {
            List<OperationId> ids = enqueuer.scheduler().enqueueAll("batch",
                    List.of(Map.of("n", 0), Map.of("n", 1), Map.of("n", 2), Map.of("n", 3), Map.of("n", 4)));

            for (OperationId id : ids) {
                java.util.UUID jobId = JobRunrDispatcher.jobId(enqueuer.scheduler().attempts(id).get(0).id(), 1);
                assertThat(harness.storage.getJobById(jobId).getId())
                        .as("a job, made before enqueueAll returned: no worker of this node would take it").isEqualTo(jobId);
            }
            await().atMost(WELL_WITHIN_POLL).until(() -> ids.stream().allMatch(id -> enqueuer.scheduler().get(id).status() == OperationStatus.COMPLETED));
        }
        assertThat(journal.entries()).containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "a4");
    }

    @Test
    void aFlakyStepIsRetriedByDurableOpsAndEarlierStepsRunOnce() {
        AtomicInteger tries = new AtomicInteger();
        harness = new JobRunrHarness(db.dataSource(), POLL, define("flaky", f -> f
                .action("first", record(journal, "first"))
                .action("flaky", ctx -> {
                    journal.ran("flaky");
                    if (tries.incrementAndGet() <= 2) throw new IllegalStateException("provider down");
                }, StepOptions.retry(RetryPolicy.fixed(5, Duration.ofMillis(200))))
                .result("done")));
        OperationId id = harness.ops.scheduler().enqueue("flaky", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);

        AttemptView flaky = harness.ops.scheduler().attempts(id).get(1);
        assertThat(flaky.attemptCount()).isEqualTo(3);
        assertThat(flaky.errors()).hasSize(2).allSatisfy(e -> assertThat(e.stackTrace()).contains("provider down"));
        assertThat(journal.count("first")).isEqualTo(1);
        // each try was its own JobRunr job, and none of them failed in JobRunr: step failures never reach it
        for (int generation = 1; generation <= 3; generation++) {
            int g = generation;
            await().atMost(WELL_WITHIN_POLL).until(() -> harness.storage.getJobById(JobRunrDispatcher.jobId(flaky.id(), g)).hasState(StateName.SUCCEEDED));
        }
    }

    @Test
    void aFailedOperationIsRetriedFromItsFailedStep() {
        AtomicInteger tries = new AtomicInteger();
        harness = new JobRunrHarness(db.dataSource(), POLL, define("fails", f -> f
                .action("reserve", record(journal, "reserve"))
                .action("charge", ctx -> {
                    journal.ran("charge");
                    if (tries.incrementAndGet() <= 2) throw new IllegalStateException("declined");
                }, StepOptions.retry(RetryPolicy.fixed(2, Duration.ofMillis(100))))
                .result("done")));
        OperationId id = harness.ops.scheduler().enqueue("fails", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.FAILED);
        harness.ops.scheduler().retry(id);
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("reserve", "charge", "charge", "charge");
    }

    @Test
    void aDelayedStepStartsAfterItsTimeAndNotBefore() {
        Duration delay = Duration.ofSeconds(2);
        harness = new JobRunrHarness(db.dataSource(), POLL, define("delayed", f -> f
                .action("charge", record(journal, "charge"))
                .action("send-receipt", record(journal, "send-receipt"), StepOptions.delay(delay))
                .result("done")));
        OperationId id = harness.ops.scheduler().enqueue("delayed", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);

        List<AttemptView> attempts = harness.ops.scheduler().attempts(id);
        AttemptView receipt = attempts.get(1);
        assertThat(receipt.scheduledAt()).isEqualTo(attempts.get(0).finishedAt().orElseThrow().plus(delay).truncatedTo(java.time.temporal.ChronoUnit.MICROS))
                .as("scheduled from the moment charge completed");
        assertThat(receipt.startedAt().orElseThrow()).isAfterOrEqualTo(receipt.scheduledAt());
        Job job = harness.storage.getJobById(JobRunrDispatcher.jobId(receipt.id(), 1));
        assertThat(job.getJobStates()).extracting(s -> s.getName()).startsWith(StateName.SCHEDULED);
    }

    @Test
    void anExpiredDelayedStepNeverRuns() {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("expiring", f -> f
                .action("a", record(journal, "a"))
                .action("later", record(journal, "later"), StepOptions.delay(Duration.ofSeconds(1)))
                .result("done")));
        OperationId id = harness.ops.scheduler().enqueue("expiring", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().attempts(id).size() == 2);
        harness.ops.scheduler().expire(id);
        AttemptView later = harness.ops.scheduler().attempts(id).get(1);
        UUIDJob laterJob = new UUIDJob(JobRunrDispatcher.jobId(later.id(), 1));
        // the JobRunr job still fires at its time, and finds nothing to run
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.storage.getJobById(laterJob.id()).hasState(StateName.SUCCEEDED));
        assertThat(journal.entries()).containsExactly("a");
        assertThat(harness.ops.scheduler().get(id).status()).isEqualTo(OperationStatus.EXPIRED);
        assertThat(harness.ops.scheduler().attempts(id).get(1).status()).isEqualTo(AttemptStatus.EXPIRED);
    }

    @Test
    void theRelayDispatchesAnAttemptCommittedByANodeThatCrashedBeforeDispatching() {
        var definition = define("orphan", f -> f.action("a", record(journal, "a")).action("b", record(journal, "b")).result("done"));
        // a node commits the operation and dies before its dispatch reaches JobRunr
        OperationId id;
        try (DurableOps crashed = DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("k1", JobRunrHarness.KEY))
                .name("crashed-node").dispatcher(new ManualDispatcher(Clock.systemUTC())).relayInterval(Duration.ZERO)
                .register(definition).build()) {
            id = crashed.scheduler().enqueue("orphan", Map.of());
        }
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement("UPDATE durable_attempts SET dispatch_pending = 1, updated_at = ?")) {
            ps.setObject(1, java.time.LocalDateTime.ofInstant(Instant.now().minusSeconds(60), java.time.ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        // a healthy node's relay finds it and JobRunr runs it
        harness = new JobRunrHarness(db.dataSource(), POLL, definition);
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("a", "b");
    }

    @Test
    void aStepEnqueuedFromAnApplicationThreadStartsWellWithinThePollInterval() {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("prompt", f -> f.action("a", record(journal, "a")).result("done")));
        // let the server's first poll pass, so only the local wake-up can start the step before the next one
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Instant enqueued = Instant.now();
        OperationId id = harness.ops.scheduler().enqueue("prompt", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> journal.count("a") == 1);
        Instant started = harness.ops.scheduler().attempts(id).get(0).startedAt().orElseThrow();
        assertThat(Duration.between(enqueued, started)).isLessThan(POLL.minusSeconds(10));
    }

    @Test
    void infrastructureFailuresAreLeftToJobRunrsOwnRetries() {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("any", f -> f.action("a", record(journal, "a")).result("done")));
        // a job for a runtime that is not running on this node: the handler throws, and JobRunr schedules a retry
        java.util.UUID jobId = java.util.UUID.randomUUID();
        new org.jobrunr.scheduling.JobRequestScheduler(harness.storage).create(org.jobrunr.scheduling.JobBuilder.aJob()
                .withId(jobId).withName("orphan step").withAmountOfRetries(3)
                .withJobRequest(new StepJobRequest("not-started-here", java.util.UUID.randomUUID(), 1)));
        harness.server.getJobSteward().notifyThreadOccupied();
        harness.server.getJobSteward().notifyThreadIdle(); // fetch it now rather than at the next poll
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.storage.getJobById(jobId).getJobStates().stream()
                .anyMatch(state -> state.getName() == StateName.FAILED));
        Job job = harness.storage.getJobById(jobId);
        assertThat(job.getState()).as("JobRunr's RetryFilter is in place: the failed job is scheduled again").isEqualTo(StateName.SCHEDULED);
        assertThat(job.getLastJobStateOfType(org.jobrunr.jobs.states.FailedState.class).orElseThrow().getExceptionMessage())
                .contains("no Durable Ops runtime named 'not-started-here'");
    }

    @Test
    void anOperationEnqueuedInACommittedCallerTransactionStartsPromptly() throws Exception {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("outbox", f -> f.action("a", record(journal, "a")).result("done")));
        OperationId id;
        try (var c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            id = harness.ops.scheduler().enqueue(c, "outbox", Map.of("orderId", 7));
            c.commit();
        }
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        try (var c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            harness.ops.scheduler().enqueue(c, "outbox", Map.of("orderId", 8));
            c.rollback();
        }
        try (var c = db.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM durable_operations")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the rolled-back enqueue left nothing").isEqualTo(1);
        }
        assertThat(journal.entries()).containsExactly("a");
    }

    @Test
    void aStagedJobRunrJobIsCreatedOnlyWhenItsStepCommits() {
        String key = java.util.UUID.randomUUID().toString();
        AtomicInteger tries = new AtomicInteger();
        harness = new JobRunrHarness(db.dataSource(), POLL, define("staging", f -> f
                .action("ride", ctx -> {
                    int attempt = tries.incrementAndGet();
                    JobRunrStaging.stage(ctx, () -> new StagedJobs().sendReceipt(key + "/" + attempt));
                    if (attempt == 1) throw new IllegalStateException("fails after staging");
                }, StepOptions.retry(RetryPolicy.fixed(2, Duration.ofMillis(100))))
                .result("done")));
        OperationId id = harness.ops.scheduler().enqueue("staging", Map.of());
        // why both: the staged job and the operation's next step are separate JobRunr jobs, on different workers
        await().atMost(WELL_WITHIN_POLL).until(() -> StagedJobs.runs(key + "/2") == 1
                && harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        assertThat(StagedJobs.runs(key + "/1")).as("staged by the failed try: never dispatched").isZero();
        harness.ops.relayNow();
        assertThat(StagedJobs.runs(key + "/2")).isEqualTo(1);
    }

    @Test
    void aSignalWakesAWaitingOperationAtOnceAndChildrenFanIn() {
        harness = new JobRunrHarness(db.dataSource(), POLL,
                define("child", f -> f.requires("n").action("square", ctx -> ctx.set("square", ctx.get("n", Integer.class) * ctx.get("n", Integer.class)))
                        .result("done", (ctx, results) -> results.put("square", ctx.get("square", Integer.class)))),
                define("parent", f -> f
                        .action("fan-out", ctx -> {
                            for (int n = 1; n <= 20; n++) ctx.startChild("child", Map.of("n", n));
                        })
                        .awaitChildren("all-squared", io.durableops.core.WaitOptions.defaults())
                        .awaitSignal("approved?", "approved", io.durableops.core.WaitOptions.defaults())
                        .result("done", (ctx, results) -> results.put("sum", ctx.get("children", new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { })
                                .stream().mapToInt(c -> (Integer) ((Map<?, ?>) c.get("results")).get("square")).sum()))));
        OperationId id = harness.ops.scheduler().enqueue("parent", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).currentStep().equals("approved?"));
        harness.ops.scheduler().signal(id, "approved", Map.of("by", "ops"));
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        assertThat(harness.ops.scheduler().get(id).results().get("sum", Integer.class)).isEqualTo(2870);
    }

    @Test
    void onTheFastPathAWorkerRunsDueStepsItselfAndHandsBackToJobRunr() {
        harness = new JobRunrHarness(db.dataSource(), POLL, io.durableops.core.FastPath.upTo(4, Duration.ofSeconds(10)), define("ten", f -> {
            for (int i = 1; i <= 10; i++) f.action("s" + i, record(journal, "s" + i));
            f.result("done");
        }));
        OperationId id = harness.ops.scheduler().enqueue("ten", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        assertThat(journal.entries()).containsExactly("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10");
        List<AttemptView> attempts = harness.ops.scheduler().attempts(id);
        assertThat(attempts).hasSize(11).extracting(AttemptView::status).containsOnly(AttemptStatus.SUCCEEDED);
        // JobRunr ran the hand-overs only: s1, s5, s9 (4 steps per worker visit)
        List<String> jobs = attempts.stream().filter(a -> jobExists(JobRunrDispatcher.jobId(a.id(), 1))).map(AttemptView::step).toList();
        assertThat(jobs).containsExactly("s1", "s5", "s9");
    }

    private boolean jobExists(java.util.UUID id) {
        try {
            harness.storage.getJobById(id);
            return true;
        } catch (org.jobrunr.storage.JobNotFoundException e) {
            return false;
        }
    }

    @Test
    void jobRunrsServerIsStartedAgainWhenItStopsByItselfAndStepsRunAgain() {
        harness = new JobRunrHarness(db.dataSource(), POLL, define("after-restart", f -> f.action("a", record(journal, "a")).result("done")));
        // JobRunr stops its server this way during a long database outage
        harness.server.stop();
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.server.isRunning() && !harness.server.isNotReadyToProcessJobs());
        OperationId id = harness.ops.scheduler().enqueue("after-restart", Map.of());
        await().atMost(WELL_WITHIN_POLL).until(() -> harness.ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
    }

    private record UUIDJob(java.util.UUID id) {
    }
}

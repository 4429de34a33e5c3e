package io.durableops.core.internal.engine;

import io.durableops.core.internal.Daemons;
import io.durableops.core.OperationStatus;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.store.FlowStore;
import io.durableops.core.internal.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The safety net that makes dispatch at-least-once: offers again every committed attempt whose dispatch was never
 * confirmed (a crash between commit and dispatch, a dispatcher failure), recovers attempts whose runner died (lease
 * ran out), renews the leases of the attempts this node is running, and starts the operations of due schedule ticks.
 * Its loops never die on an exception.
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final int BATCH = 500;
    private static final long[] PROBE_DELAYS_MS = {5, 25, 100, 400};
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Engine engine;
    private final Dispatch dispatch;
    private final StepRunner runner;
    private final Duration grace;
    private final Endings endings;
    private final Duration retention;
    private final StagedRelay staged;
    private volatile Instant lastPurge;
    private static final Duration GAUGES_EVERY = Duration.ofSeconds(10);
    private volatile Instant lastGauges;
    private volatile Instant lastPass;
    private volatile Duration interval;
    private volatile ScheduledExecutorService executor;

    private final Cluster cluster;
    private final ScheduleService schedules;
    private volatile java.util.concurrent.ScheduledFuture<?> passes;

    /**
     * {@code retention}: how long finished operations are kept (null: for ever); {@code nodeName}: this node's name in the
     * cluster; {@code strandedGrace}: how long no live node may have an operation's step before it is paused.
     */
    public Relay(Engine engine, Dispatch dispatch, StepRunner runner, Duration grace, Duration retention, String nodeName,
                 Duration strandedGrace, ScheduleService schedules) {
        this.schedules = schedules;
        this.engine = engine;
        this.dispatch = dispatch;
        this.runner = runner;
        this.grace = grace;
        this.endings = new Endings(engine);
        this.retention = retention;
        this.staged = new StagedRelay(engine, dispatch);
        this.cluster = new Cluster(engine, dispatch, nodeName, strandedGrace);
    }

    /** The backlog (attempts due and not started) and the PAUSED operations, read now. */
    public long[] counts() {
        Instant now = engine.now();
        return new long[]{engine.tx().auto("count the backlog", c -> io.durableops.core.internal.store.RelayStore.countDue(c, now)),
                engine.tx().auto("count paused operations", c -> io.durableops.core.internal.store.RelayStore.countStatus(c, io.durableops.core.OperationStatus.PAUSED))};
    }

    /** How this node is doing (see DurableOps.health()). */
    public io.durableops.core.NodeHealth health() {
        java.util.Optional<java.time.Instant> last = lastPass();
        long[] counts;
        try {
            counts = counts();
        } catch (io.durableops.core.StorageException e) {
            return new io.durableops.core.NodeHealth(false, isRunning(), last, -1, -1,
                    java.util.Optional.of("the database does not answer: " + io.durableops.core.internal.Logs.describe(e)));
        }
        boolean running = isRunning();
        return new io.durableops.core.NodeHealth(true, running, last, counts[0], counts[1],
                running ? java.util.Optional.empty() : java.util.Optional.of("the relay is not running (closed, or its passes stopped)"));
    }

    /** When the last pass began, if any. */
    public java.util.Optional<Instant> lastPass() {
        return java.util.Optional.ofNullable(lastPass);
    }

    /** Whether the relay's passes run in the background and the last one began within ten intervals (or 10 s). */
    public boolean isRunning() {
        ScheduledExecutorService e = executor;
        java.util.concurrent.ScheduledFuture<?> p = passes;
        Instant last = lastPass;
        if (e == null || e.isShutdown() || p == null || p.isCancelled() || last == null) return false;
        Duration slack = interval.multipliedBy(10).compareTo(Duration.ofSeconds(10)) > 0 ? interval.multipliedBy(10) : Duration.ofSeconds(10);
        return !engine.clock().instant().isAfter(last.plus(slack));
    }

    public void start(String instanceName, Duration interval) {
        this.interval = interval;
        executor = Daemons.scheduler("durable-ops-relay-" + instanceName);
        passes = executor.scheduleWithFixedDelay(() -> guarded("relay", this::runOnce), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        long renew = Math.max(100, engine.lease().toMillis() / 3);
        executor.scheduleWithFixedDelay(() -> guarded("lease renewal", this::renewLeases), renew, renew, TimeUnit.MILLISECONDS);
    }

    /**
     * One pass: recover expired leases, end operations past their deadline, delete what retention allows, hand over
     * staged work, then dispatch what is pending. Each item is isolated: one that fails is logged and left for the next
     * pass (or set aside, for staged work), and the pass goes on with the others. Returns the number dispatched.
     */
    public int runOnce() {
        long began = System.nanoTime();
        try {
            return pass();
        } finally {
            engine.telemetry().relayPass(java.time.Duration.ofNanos(System.nanoTime() - began));
        }
    }

    private int pass() {
        Instant now = engine.now();
        lastPass = engine.clock().instant();
        if (engine.telemetry().isOn() && (lastGauges == null || !now.isBefore(lastGauges.plus(GAUGES_EVERY)))) {
            lastGauges = now;
            isolated("the backlog gauges", () -> {
                long[] counts = counts();
                engine.telemetry().backlog(counts[0], counts[1]);
            });
        }
        isolated("the cluster's pass", () -> cluster.pass(now));
        isolated("the awaited operations", engine.awaits()::poll);
        isolated("the schedules", () -> schedules.pass(now));
        isolated("the limits", runner.admission()::pass);
        int dispatched = recoverExpiredLeases(now);
        isolated("the deadline sweep", () -> expireOverdue(now));
        isolated("retention", () -> purgeExpired(now));
        Instant changedBefore = now.minus(grace);
        dispatched += staged.pass(changedBefore, BATCH);
        dispatched += redispatchLost(now);
        List<Rows.Pending> pending;
        do {
            pending = engine.tx().auto("find undispatched attempts", c -> io.durableops.core.internal.store.RelayStore.undispatched(c, changedBefore, BATCH));
            if (!pending.isEmpty()) {
                LOG.info("relay dispatches {} committed attempt(s) that were not dispatched", pending.size());
            }
            int sent = dispatch.send(pending);
            if (sent < pending.size()) {
                // why one at a time: the dispatcher refused the batch; those it takes alone must not wait for the others
                sent = 0;
                for (Rows.Pending p : pending) sent += dispatch.send(List.of(p));
                dispatched += sent;
                break;
            }
            dispatched += sent;
        } while (pending.size() == BATCH);
        return dispatched;
    }

    /**
     * Schedules again the attempts whose runner's lease ran out, each in its own transaction. why settle first: an
     * attempt a step recorded alone has succeeded is still RUNNING, and its lease runs out when its turn outlasts it or
     * its node dies; settled, it is no longer taken for a try to recover. why the pointer: if the runner had recorded
     * steps alone, its operation row is behind; moving it ends that runner's turn for good, should it still be alive
     * (see Turns.recordAlone).
     */
    private int recoverExpiredLeases(Instant now) {
        List<Rows.Pending> recovered = new ArrayList<>();
        for (Rows.Pending p : engine.tx().auto("find expired leases", c -> io.durableops.core.internal.store.RelayStore.expiredLeases(c, now, BATCH))) {
            isolated("recovery of attempt " + p.attemptId(), () -> {
                if (engine.tx().run("recover attempt " + p.attemptId(), c -> {
                    Rows.Operation op = engine.store().lockOperation(c, p.operationId()).orElse(null);
                    if (op == null || op.status() != OperationStatus.RUNNING) return false;
                    engine.store().turns().settle(c, p.operationId(), op.currentAttemptId());
                    if (!io.durableops.core.internal.store.RelayStore.recoverExpiredLease(c, p.attemptId(), now)) return false;
                    engine.store().turns().takeOver(c, p.operationId(), now);
                    return true;
                })) {
                    LOG.warn("attempt {} ({} / {}) was running on a node whose lease ran out; scheduled again", p.attemptId(), p.definition(), p.step());
                    recovered.add(new Rows.Pending(p.attemptId(), p.generation() + 1, p.operationId(), p.definition(), p.step(),
                            p.attemptCount(), now));
                }
            });
        }
        return dispatch.send(recovered);
    }

    /**
     * Dispatches again, under a new generation, the due attempts no one claimed for a whole lease. why the generation:
     * JobRunr ignores a job created again with an id it has, and the job of such an attempt may be stuck (taken by a
     * server that stopped before running it) until JobRunr's orphan detection, minutes later; a new generation is a new
     * job, and the old one, should it run, finds its generation stale and does nothing.
     */
    private int redispatchLost(Instant now) {
        List<Rows.Pending> again = new ArrayList<>();
        for (Rows.Pending p : engine.tx().auto("find attempts whose dispatch was lost",
                c -> io.durableops.core.internal.store.RelayStore.dispatchedLongAgo(c, now.minus(engine.lease()), BATCH))) {
            isolated("the re-dispatch of attempt " + p.attemptId(), () -> {
                if (engine.tx().auto("renew the generation of attempt " + p.attemptId(),
                        c -> io.durableops.core.internal.store.RelayStore.nextGeneration(c, p.attemptId(), p.generation(), now))) {
                    again.add(new Rows.Pending(p.attemptId(), p.generation() + 1, p.operationId(), p.definition(), p.step(), p.attemptCount(),
                            p.scheduledAt()));
                }
            });
        }
        if (!again.isEmpty()) LOG.info("relay dispatches again {} attempt(s) nobody claimed for a lease", again.size());
        return dispatch.send(again);
    }

    /** Deletes finished operations older than the retention period, a batch at a time, at most once a minute. */
    private void purgeExpired(Instant now) {
        if (retention == null || (lastPurge != null && lastPurge.plus(PURGE_EVERY).isAfter(now))) return;
        lastPurge = now;
        int purged = engine.tx().run("delete finished operations past their retention",
                c -> engine.flow().purgeFinished(c, now.minus(retention), BATCH));
        if (purged > 0) LOG.info("deleted {} operation(s) finished more than {} ago", purged, retention);
    }

    /** Ends running operations whose deadline passed, as their definition says (EXPIRED unless FAILED), children too. */
    private void expireOverdue(Instant now) {
        for (FlowStore.Expired overdue : engine.tx().auto("find operations past their deadline", c -> engine.flow().pastDeadline(c, now, BATCH))) {
            isolated("the deadline of operation " + overdue.id(), () -> {
                OperationStatus status = engine.definitions().find(overdue.definition()).map(CompiledDefinition::onExpiry)
                        .orElse(OperationStatus.EXPIRED);
                List<Rows.Pending> after = new ArrayList<>();
                Boolean ended = engine.tx().run("end operation " + overdue.id() + " past its deadline", c -> {
                    after.clear();
                    return endings.end(c, overdue.id(), status, "its deadline " + overdue.deadline() + " passed", now, true, after);
                });
                if (Boolean.TRUE.equals(ended)) {
                    engine.awaits().ended(overdue.id());
                    LOG.info("operation {} ({}) passed its deadline {}: {}", overdue.id(), overdue.definition(), overdue.deadline(), status);
                }
                dispatch.send(after);
            });
        }
    }

    /** Runs one item of a pass; a failure is logged and the pass goes on (the item comes up again on the next one). */
    private static void isolated(String what, Runnable item) {
        try {
            item.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; it is tried again on the next pass: {}", what, io.durableops.core.internal.Logs.describe(e));
        }
    }

    /**
     * Dispatches an attempt written in a caller's transaction as soon as that transaction has committed: looks for it
     * a few times shortly after the call (the relay's regular pass remains the fallback, for a late commit).
     */
    public void afterCallerCommit(UUID attemptId) {
        ScheduledExecutorService e = executor;
        if (e == null || e.isShutdown()) return;
        for (long delay : PROBE_DELAYS_MS) {
            e.schedule(() -> guarded("dispatch after commit", () -> {
                List<Rows.Pending> committed = engine.tx().auto("look for attempt " + attemptId,
                        c -> io.durableops.core.internal.store.RelayStore.committedByCaller(c, attemptId));
                dispatch.send(committed);
            }), delay, TimeUnit.MILLISECONDS);
        }
    }

    void renewLeases() {
        Instant until = engine.now().plus(engine.lease());
        runner.admission().renew(until);
        if (runner.inFlight().isEmpty()) return;
        engine.tx().auto("renew leases", c -> {
            io.durableops.core.internal.store.RelayStore.renewLeases(c, java.util.Map.copyOf(runner.inFlight()), until);
            return null;
        });
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} pass failed; it will run again: {}", what, io.durableops.core.internal.Logs.describe(e));
        }
    }

    /** Says at once that this node is in the cluster (the first pass may be a while away). */
    public void join() {
        isolated("the first heartbeat", () -> cluster.heartbeat(engine.now()));
    }

    /** Stops the passes (a draining node dispatches nothing more); lease renewal goes on until {@link #close}. */
    public void stopPasses() {
        java.util.concurrent.ScheduledFuture<?> p = passes;
        if (p != null) p.cancel(false);
    }

    @Override
    public void close() {
        stopPasses();
        cluster.leave();
        runner.close();
        if (executor == null) return;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

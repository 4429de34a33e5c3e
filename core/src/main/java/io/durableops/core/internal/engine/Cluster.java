package io.durableops.core.internal.engine;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;
import io.durableops.core.internal.Limits;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.store.ClusterStore;
import io.durableops.core.internal.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node as one of a cluster whose nodes may run different builds (a rolling deploy), on the relay's passes:
 * <ul>
 *   <li>a heartbeat, every {@link #HEARTBEAT_EVERY}, with what this node can run ({@link Capabilities});</li>
 *   <li>attempts another node handed back for lack of their step ({@link HandBack#route}) that this node has: it runs
 *       them here, and judges the wake-ups of waits another node could not;</li>
 *   <li>the stranded sweep, every {@link #SWEEP_EVERY} (or half the grace, if shorter): operations at a step that no live node has, for longer than the
 *       grace, are PAUSED with the reason (the definition, both versions, the missing step, the known ones).</li>
 * </ul>
 * A node that only enqueues (its dispatcher runs nothing here) does none of this but the heartbeat.
 */
final class Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    /** A node is live while its last heartbeat is younger than this. */
    static final Duration LIVE_FOR = Duration.ofSeconds(30);
    static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final Duration ROUTED_AGAIN_AFTER = Duration.ofSeconds(30);
    private static final List<String> RUNNING = List.of(OperationStatus.RUNNING.name());
    private static final int BATCH = 500;

    private final Engine engine;
    private final Dispatch dispatch;
    private final String name;
    private final UUID id = UUID.randomUUID();
    private final Capabilities own;
    private final Duration grace;
    /** How often the sweep runs: every {@link #SWEEP_EVERY}, or twice per grace when the grace is shorter. */
    private final Duration sweepEvery;
    private volatile Instant lastHeartbeat;
    private volatile Instant lastSweep;
    /** Since when each position (definition, version, step) has had no live node, as this node saw it. */
    private final Map<String, Instant> strandedSince = new ConcurrentHashMap<>();
    /** Attempts this node took to run here, and when, so a pass does not take them again while they wait to run. */
    private final Map<UUID, Instant> routedHere = new ConcurrentHashMap<>();

    Cluster(Engine engine, Dispatch dispatch, String name, Duration grace) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.name = name;
        this.own = Capabilities.of(engine.definitions());
        this.grace = grace;
        this.sweepEvery = grace.dividedBy(2).compareTo(SWEEP_EVERY) < 0 ? grace.dividedBy(2) : SWEEP_EVERY;
    }

    /** One pass: the heartbeat when due, the routed attempts, the sweep when due. */
    void pass(Instant now) {
        if (lastHeartbeat == null || !now.isBefore(lastHeartbeat.plus(HEARTBEAT_EVERY))) heartbeat(now);
        if (!dispatch.dispatcher().runsAttemptsHere()) return;
        runRouted(now);
        if (lastSweep == null || !now.isBefore(lastSweep.plus(sweepEvery))) {
            lastSweep = now;
            sweep(now);
        }
    }

    void heartbeat(Instant now) {
        boolean runs = dispatch.dispatcher() != null && dispatch.dispatcher().runsAttemptsHere();
        engine.tx().run("record this node's heartbeat", c -> {
            ClusterStore.heartbeat(c, id, name, runs, own.toJson(), now);
            return null;
        });
        lastHeartbeat = now;
    }

    /** This node closes: its row goes, so other nodes stop counting on it at once (and rows silent for an hour). */
    void leave() {
        try {
            engine.tx().run("remove this node from the cluster", c -> {
                ClusterStore.forget(c, id, engine.now().minus(FORGET_AFTER));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("could not remove this node's row; it ages out: {}", e.getClass().getName());
        }
    }

    /** What the live nodes that run attempts can run, this node included. */
    Capabilities live(Instant now) {
        List<Capabilities> all = new ArrayList<>();
        all.add(own);
        for (ClusterStore.Node node : engine.tx().auto("read the live nodes", c -> ClusterStore.liveSince(c, now.minus(LIVE_FOR)))) {
            if (node.runsAttempts()) all.add(Capabilities.fromJson(node.capabilities()));
        }
        return Capabilities.cluster(all);
    }

    private void runRouted(Instant now) {
        routedHere.values().removeIf(at -> at.isBefore(now.minus(ROUTED_AGAIN_AFTER)));
        List<Rows.Pending> here = new ArrayList<>();
        for (ClusterStore.Routed r : engine.tx().auto("find attempts handed back for another node", c -> ClusterStore.routed(c, BATCH))) {
            Optional<CompiledDefinition> definition = engine.definitions().resolve(r.definition(), r.version(), r.step());
            if (definition.isEmpty() || routedHere.containsKey(r.attemptId())) continue;
            if (r.scheduledAt().isAfter(now)) {
                judgeWakeUp(r, definition.get(), now);
            } else {
                routedHere.put(r.attemptId(), now);
                here.add(r.pending(now));
            }
        }
        if (here.isEmpty()) return;
        LOG.info("running {} attempt(s) here that other nodes handed back for lack of their step", here.size());
        try {
            dispatch.dispatcher().dispatchHere(here.stream().map(Dispatch::request).toList());
        } catch (RuntimeException e) {
            here.forEach(p -> routedHere.remove(p.attemptId()));
            LOG.warn("could not run {} handed-back attempt(s) here; the next pass tries again: {}", here.size(), e.getClass().getName());
        }
    }

    /** A wake-up another node could not judge: a wait is woken here; anything else goes back to the relays' care. */
    private void judgeWakeUp(ClusterStore.Routed r, CompiledDefinition definition, Instant now) {
        boolean wait = definition.step(r.step()).map(s -> s.kind().isWait()).orElse(false);
        Optional<Rows.Pending> woken = engine.tx().run("judge a wake-up of attempt " + r.attemptId(), c -> {
            Optional<Rows.Pending> pending = wait ? new Waits(engine).wake(c, r.operationId(), now) : Optional.empty();
            if (pending.isEmpty()) ClusterStore.unmark(c, r.attemptId(), now);
            return pending;
        });
        woken.ifPresent(p -> dispatch.send(List.of(p)));
    }

    /** Pauses the operations at positions no live node has had for longer than the grace. */
    private void sweep(Instant now) {
        Capabilities cluster = live(now);
        Set<String> strandedNow = new HashSet<>();
        for (ClusterStore.Position p : engine.tx().auto("count running operations by step", c -> ClusterStore.positions(c, RUNNING))) {
            if (cluster.canRun(p.definition(), p.version(), p.step())) continue;
            String key = p.definition() + "\u0000" + p.version() + "\u0000" + p.step();
            strandedNow.add(key);
            Instant since = strandedSince.computeIfAbsent(key, k -> now);
            if (now.isBefore(since.plus(grace))) continue;
            for (UUID operation : engine.tx().auto("find stranded operations", c -> ClusterStore.at(c, p, RUNNING, BATCH))) {
                try {
                    pause(operation, cluster, now);
                } catch (RuntimeException e) {
                    LOG.warn("could not pause stranded operation {}; the next sweep tries again: {}", operation, e.getClass().getName());
                }
            }
        }
        strandedSince.keySet().retainAll(strandedNow);
    }

    private void pause(UUID operation, Capabilities cluster, Instant now) {
        String reason = engine.tx().run("pause stranded operation " + operation, c -> {
            Rows.Operation op = engine.store().lockOperation(c, operation).orElse(null);
            if (op == null || op.status() != OperationStatus.RUNNING) return null;
            // why: steps recorded alone may have left the row behind the step the operation is really at
            engine.store().turns().takeOver(c, operation, now);
            Rows.Operation at = engine.store().findOperation(c, operation).orElseThrow();
            if (cluster.canRun(at.definition(), at.definitionVersion(), at.currentStep())) return null;
            String why = Limits.truncate(cluster.whyNot(at.definition(), at.definitionVersion(), at.currentStep())
                    + "; move it to a step of the running version, or deploy the step and retry it");
            if (!engine.store().changeOperationStatus(c, operation, OperationStatus.RUNNING, OperationStatus.PAUSED, why, now)) return null;
            engine.telemetry().operationEnded(at.definition(), OperationStatus.PAUSED.name());
            engine.store().endOpenAttempts(c, operation, AttemptStatus.CANCELLED, Limits.truncate("paused: " + why), now);
            return why;
        });
        if (reason != null) LOG.warn("operation {} PAUSED: {}", operation, reason);
    }
}

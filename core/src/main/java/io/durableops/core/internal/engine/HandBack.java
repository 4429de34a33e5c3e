package io.durableops.core.internal.engine;

import io.durableops.core.AttemptStatus;
import io.durableops.core.internal.store.ClusterStore;
import io.durableops.core.internal.store.PermitStore;
import io.durableops.core.internal.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives work back that this node should not, or cannot, finish, without counting a try: a try cut short by this node's
 * shutdown ({@link #release}), a step whose definition or version this node lacks ({@link #route}: for a node that has
 * it), a step that waits behind a limit ({@link #queue}), a request that arrives while the node closes
 * ({@link #deferWhileClosing}), and one that arrived early ({@link #redispatchIfEarly}).
 */
final class HandBack {
    private static final Logger LOG = LoggerFactory.getLogger(HandBack.class);

    private final Engine engine;
    private final Dispatch dispatch;
    private volatile boolean closing;

    HandBack(Engine engine, Dispatch dispatch) {
        this.engine = engine;
        this.dispatch = dispatch;
    }

    /** From now on this node claims nothing new: it drains. */
    void close() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Whether {@code failure} is an interruption by this node's shutdown: Durable Ops closing, or the dispatcher's job
     * server stopping (JobRunr's {@code BackgroundJobServer.stop()} interrupts the steps it is running).
     */
    boolean interruptedByShutdown(Throwable failure) {
        if (!closing && !dispatch.dispatcher().isStopping()) return false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    /**
     * Hands a claimed try back uncounted: SCHEDULED again, due now, under a new generation, its dispatch pending, so
     * another node's relay (after its grace) or this node's next start runs it. Nothing if it is no longer this runner's.
     */
    void release(Loaded l, String why) {
        if (give(l, 1)) {
            LOG.info("attempt {} ({} / {}) handed back uncounted: {}", l.attempt().id(), l.operation().definition(), l.attempt().step(), why);
        }
    }

    /**
     * Hands a claimed try back uncounted for a node that has its step (a rolling deploy: this node runs another version):
     * it waits, marked for routing, for the relay of such a node, which runs it there. If no running node has the step,
     * the stranded sweep pauses the operation after its grace ({@link Cluster}).
     */
    void route(Loaded l) {
        if (give(l, ClusterStore.NEEDS_ANOTHER_NODE)) {
            LOG.info("attempt {} ({} version {} / {}) needs a node that has step '{}'; left for one", l.attempt().id(),
                    l.operation().definition(), l.operation().definitionVersion(), l.attempt().step(), l.attempt().step());
        }
    }

    /**
     * Hands a claimed try back uncounted, queued behind the limit named {@code queuedFor} with {@code reason} (why it
     * waits): only a place that frees up, or the relay, wakes it ({@link Admission}). False if it is no longer this
     * runner's.
     */
    boolean queue(Loaded l, String queuedFor, String reason) {
        return give(l, PermitStore.QUEUED, queuedFor, reason);
    }

    private boolean give(Loaded l, int dispatchPending) {
        return give(l, dispatchPending, null, null);
    }

    private boolean give(Loaded l, int dispatchPending, String queuedFor, String reason) {
        Instant now = engine.now();
        Boolean given = engine.tx().run("hand back attempt " + l.attempt().id(), c -> {
            // why first: if steps recorded alone left the operation row behind, it must point at this attempt
            engine.store().turns().catchUp(c, l.operation(), l.attempt().id(), now);
            return ClusterStore.releaseTry(c, l.attempt().id(), l.attempt().attemptCount(), dispatchPending, queuedFor, reason, now);
        });
        return Boolean.TRUE.equals(given);
    }

    /** A request that arrives while this node closes is not claimed: its attempt waits, dispatch pending, for another node. */
    void deferWhileClosing(UUID attemptId, int generation) {
        engine.tx().auto("leave attempt " + attemptId + " to another node", c -> ClusterStore.markUndispatched(c, attemptId, generation, engine.now()));
        LOG.debug("attempt {} arrived while this node drains; left to another node or the next start", attemptId);
    }

    /**
     * A request that could not claim its attempt is usually a duplicate or stale one and is dropped. But if it came
     * early (the attempt is scheduled with this generation for later), it is scheduled again under a new generation
     * so the due time is kept.
     */
    void redispatchIfEarly(UUID attemptId, int generation, Instant now) {
        Optional<Rows.Pending> early = engine.tx().run("re-dispatch early attempt " + attemptId, c -> {
            Optional<Rows.Attempt> attempt = engine.store().findAttempt(c, attemptId);
            if (attempt.isEmpty() || attempt.get().status() != AttemptStatus.SCHEDULED || attempt.get().generation() != generation
                    || !attempt.get().scheduledAt().isAfter(now)) {
                return Optional.empty();
            }
            Rows.Attempt a = attempt.get();
            if (!engine.store().reschedule(c, attemptId, generation, List.of(AttemptStatus.SCHEDULED), a.scheduledAt(), now)) return Optional.empty();
            String definition = engine.store().findOperation(c, a.operationId()).map(Rows.Operation::definition).orElse("?");
            return Optional.of(Rows.Pending.rescheduled(a, definition, a.scheduledAt()));
        });
        if (early.isPresent()) {
            LOG.debug("attempt {} was delivered before its time {}; dispatched again", attemptId, early.get().scheduledAt());
            dispatch.send(List.of(early.get()));
        } else {
            LOG.debug("attempt {} generation {} is not scheduled any more; request ignored", attemptId, generation);
        }
    }

}

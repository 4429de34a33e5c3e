package io.durableops.core.internal.engine;

import io.durableops.core.StagedWork;
import io.durableops.core.internal.store.Rows;
import io.durableops.core.spi.DispatchRequest;
import io.durableops.core.spi.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hands committed attempts to the dispatcher and records that it took them. If the dispatcher fails, the attempts
 * stay marked as pending and the relay offers them again: dispatch is at least once and never lost.
 */
public final class Dispatch {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);

    private final Engine engine;
    private final HandOff handOff;
    private volatile Dispatcher dispatcher;

    /**
     * {@code fastPathTurns}: see {@link HandOff}; how many turns run before new operations wait for one;
     * {@code fastPathLinger}: how long a worker with nothing to take waits for one before its turn ends;
     * {@code dispatchGrace}: the relay's, after which it offers an attempt nobody claimed again.
     */
    public Dispatch(Engine engine, int fastPathTurns, Duration fastPathLinger, Duration dispatchGrace) {
        this.engine = engine;
        // why half the grace: an operation waiting on this node is dispatched before the relay would offer it again
        this.handOff = new HandOff(engine, this::send, () -> dispatcher != null && dispatcher.runsAttemptsHere(), fastPathTurns,
                fastPathLinger, dispatchGrace.dividedBy(2));
    }

    HandOff handOff() {
        return handOff;
    }

    /** Stops handing new operations to this node's workers; what waits for one goes to the dispatcher. */
    public void closeHandOff() {
        handOff.close();
    }

    /**
     * Dispatches newly enqueued operations' first attempts, except those a worker of this node that is already running
     * steps will take (see {@link HandOff}).
     */
    void sendNew(List<NewOperation> operations) {
        send(handOff.offer(operations).stream().map(NewOperation::pending).toList());
    }

    public void use(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Dispatches and marks; returns how many were dispatched. Never throws for a dispatcher failure. */
    public int send(List<Rows.Pending> pending) {
        if (pending.isEmpty()) return 0;
        List<DispatchRequest> requests = pending.stream().map(Dispatch::request).toList();
        try {
            dispatcher.dispatch(requests);
        } catch (RuntimeException e) {
            LOG.warn("dispatching {} attempt(s) failed; the relay will offer them again: {}", requests.size(), io.durableops.core.internal.Logs.describe(e));
            return 0;
        }
        // why only delayed ones: an attempt due now is claimed long before the relay's grace ends, and a claimed
        // attempt is never offered again; marking it would cost a commit per step for nothing. Should a backlog keep
        // one waiting past the grace, the relay offers it once more and the dispatcher ignores the repeat.
        Instant now = engine.now();
        List<Rows.Pending> delayed = pending.stream().filter(p -> p.scheduledAt().isAfter(now)).toList();
        if (delayed.isEmpty()) return pending.size();
        try {
            engine.tx().run("mark attempts dispatched", c -> {
                for (Rows.Pending p : delayed) io.durableops.core.internal.store.RelayStore.markDispatched(c, p.attemptId(), p.generation());
                return null;
            });
        } catch (RuntimeException e) {
            // harmless: the relay dispatches them again and the dispatcher ignores a repeated (attempt, generation)
            LOG.warn("could not mark {} attempt(s) as dispatched: {}", pending.size(), io.durableops.core.internal.Logs.describe(e));
        }
        return pending.size();
    }

    /**
     * Hands staged work to the dispatcher and deletes it once taken. If the dispatcher fails, the rows stay and the
     * relay offers them again: at least once, and only for completions that committed.
     */
    public int sendStaged(List<StagedWork> work) {
        if (work.isEmpty()) return 0;
        try {
            dispatcher.dispatchStaged(work);
        } catch (RuntimeException e) {
            LOG.warn("dispatching {} staged item(s) failed; the relay will offer them again: {}", work.size(), io.durableops.core.internal.Logs.describe(e));
            return 0;
        }
        try {
            engine.tx().run("delete dispatched staged work", c -> {
                io.durableops.core.internal.store.StagedStore.delete(c, work.stream().map(StagedWork::id).toList());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not delete {} dispatched staged item(s); the dispatcher will see them again: {}", work.size(), io.durableops.core.internal.Logs.describe(e));
        }
        return work.size();
    }

    static DispatchRequest request(Rows.Pending p) {
        return new DispatchRequest(p.attemptId(), p.generation(), p.operationId(), p.definition(), p.step(),
                p.attemptCount() + 1, p.scheduledAt());
    }

    /**
     * Stops what a construction that failed had started. why: a dispatcher left open keeps its timers, its name
     * (the corrected build() would fail) and, for JobRunr, a guard that starts JobRunr's server again after the
     * application stopped it, keeping the JVM alive.
     */
    public static void stopAfterFailedStart(Relay relay, Dispatch dispatch, Throwable failure) {
        List<Runnable> steps = List.of(relay::close, dispatch::closeHandOff, () -> {
            if (dispatch.dispatcher() != null) dispatch.dispatcher().close();
        });
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}

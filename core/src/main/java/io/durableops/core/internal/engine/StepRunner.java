package io.durableops.core.internal.engine;

import io.durableops.core.internal.Daemons;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.DecryptionException;
import io.durableops.core.FastPath;
import io.durableops.core.OperationStatus;
import io.durableops.core.Results;
import io.durableops.core.SerializationException;
import io.durableops.core.StepTimeoutException;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.Rows;
import io.durableops.core.internal.store.Tx;
import io.durableops.core.internal.telemetry.Telemetry;
import io.durableops.core.spi.AttemptRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one attempt: claim it (SCHEDULED to RUNNING; a duplicate or stale request is a no-op), run the step's code
 * outside any transaction, then record the outcome in one transaction (attempt, globals, pointer, next attempt)
 * and only then dispatch what follows.
 */
public final class StepRunner implements AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final Engine engine;
    private final Dispatch dispatch;
    private final Waits waits;
    private final HandBack handBack;
    private final Failures failures;
    private final Admission admission;
    /** Attempts running on this node, each as its runner claimed it. */
    private final Map<UUID, Loaded> inFlight = new ConcurrentHashMap<>();
    /** Calls of {@link #run} under way; {@link #awaitIdle} waits for none. */
    private int active;
    private final Object idle = new Object();
    private final Daemons.Lazy watchdogs = new Daemons.Lazy("durable-ops-step-timeouts");

    public StepRunner(Engine engine, Dispatch dispatch) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.waits = new Waits(engine);
        this.handBack = new HandBack(engine, dispatch);
        this.failures = new Failures(engine, dispatch, handBack);
        this.admission = new Admission(engine, dispatch, handBack);
    }

    /** The attempts this node is running now, with the try each runner claimed: the leases the relay keeps renewing. */
    public Map<UUID, Integer> inFlight() {
        Map<UUID, Integer> tries = new java.util.HashMap<>();
        inFlight.forEach((id, l) -> tries.put(id, l.attempt().attemptCount()));
        return tries;
    }

    /** Claims nothing from now on: requests that arrive are left to other nodes; running steps may finish. */
    public void drain() {
        handBack.close();
    }

    /** Waits until no step runs on this node, or {@code timeout} passes; returns whether none runs. */
    public boolean awaitIdle(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            try {
                while (active > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return active == 0;
            }
            return true;
        }
    }

    /** Hands back, uncounted, every try still running on this node (the drain timeout passed): other nodes take them. */
    public int releaseRunning() {
        int released = 0;
        for (Loaded l : List.copyOf(inFlight.values())) {
            handBack.release(l, "its node's drain timeout passed while it ran");
            released++;
        }
        return released;
    }

    /** Stops the step-timeout watchdogs and the rate limits' timers. */
    public void close() {
        watchdogs.shutdownNow();
        admission.shutdown();
    }

    /** This node's limits: the relay wakes what waits behind them and renews the places they hold. */
    Admission admission() {
        return admission;
    }

    @Override
    public void run(UUID attemptId, int generation) {
        synchronized (idle) {
            active++;
        }
        try {
            runClaimed(attemptId, generation);
        } finally {
            synchronized (idle) {
                if (--active == 0) idle.notifyAll();
            }
        }
    }

    private void runClaimed(UUID attemptId, int generation) {
        if (handBack.isClosing()) {
            handBack.deferWhileClosing(attemptId, generation);
            return;
        }
        Instant now = engine.now();
        if (!claim(attemptId, generation, now, now.plus(engine.lease()))) {
            handBack.redispatchIfEarly(attemptId, generation, now);
            return;
        }
        Rows.Claimed claimedRow = engine.tx().auto("load attempt " + attemptId, c -> engine.store().loadForRun(c, attemptId));
        HandOff handOff = dispatch.handOff();
        handOff.beginTurn();
        long started = System.nanoTime();
        try (Worker worker = new Worker(engine, admission)) {
            Loaded next = new Loaded(claimedRow.operation(), claimedRow.attempt());
            for (; next != null; next = takeHandedOff(handOff, started, next.operation().definition())) runOperation(next, started, worker);
        } finally {
            handOff.endTurn();
        }
    }

    /** Runs an operation's claimed attempt and, on the fast path, the due steps after it, within the turn's budget. */
    private void runOperation(Loaded loaded, long started, Worker worker) {
        int steps = 0;
        for (Loaded current = loaded; current != null; steps++) {
            Loaded running = current;
            inFlight.put(running.attempt().id(), running);
            try {
                current = execute(running, steps, started, worker);
            } finally {
                inFlight.remove(running.attempt().id(), running);
            }
        }
    }

    /**
     * The first step of a new operation that was handed to this node's running workers (see {@link HandOff}), claimed;
     * null when there is none, or when this turn's time is spent (then that entry goes to the dispatcher). It waits
     * for one only if {@code lastDefinition}, that of the operation this worker just ran, is on the fast path and the
     * turn has time left.
     */
    private Loaded takeHandedOff(HandOff handOff, long started, String lastDefinition) {
        FastPath lastFastPath = engine.definitions().find(lastDefinition).map(engine::fastPathOf).orElse(FastPath.off());
        boolean mayWait = lastFastPath.isOn() && hasTimeLeft(lastFastPath, started);
        for (HandOff.Entry entry = handOff.take(mayWait); entry != null; entry = handOff.take(mayWait)) {
            NewOperation operation = entry.operation();
            if (!hasTimeLeft(engine.fastPathOf(operation.definition()), started)) {
                handOff.dispatch(entry); // why: the turn is over; the dispatcher starts the next one, other jobs first
                return null;
            }
            Rows.Attempt a = operation.attempt();
            Instant now = engine.now();
            Instant leaseUntil = now.plus(engine.lease());
            boolean claimed;
            try {
                claimed = claim(a.id(), a.generation(), now, leaseUntil);
            } catch (RuntimeException e) {
                // why: this turn ends here, but the entry is this worker's; the dispatcher (or, failing that, the relay
                // after its grace) gives it to another one
                LOG.debug("could not claim handed-off attempt {}: {}", a.id(), io.durableops.core.internal.Logs.describe(e));
                handOff.dispatch(entry);
                return null;
            }
            if (!claimed) continue; // the relay offered it elsewhere meanwhile, or an operator ended the operation
            // why no read: nothing but a claim can change a new operation's rows, and the claim just succeeded
            return new Loaded(operation.operation(), a.claimed(now, leaseUntil), operation.input().deepCopy(), operation.input().deepCopy());
        }
        return null;
    }

    /** Claims a scheduled attempt for this runner (SCHEDULED to RUNNING with a lease); false if it is not there to take. */
    private boolean claim(UUID attemptId, int generation, Instant now, Instant leaseUntil) {
        return engine.tx().auto("claim attempt " + attemptId, c -> engine.store().claim(c, attemptId, generation, now, leaseUntil));
    }

    /** Whether the step about to complete may claim its successor: the fast path is on and its budget is not spent. */
    private boolean mayRunNext(CompiledDefinition definition, int stepsRun, long startedNanos) {
        FastPath fastPath = engine.fastPathOf(definition);
        return fastPath.isOn() && stepsRun + 1 < fastPath.maxSteps() && hasTimeLeft(fastPath, startedNanos) && !handBack.isClosing();
    }

    /**
     * Whether a turn that began at {@code startedNanos} ({@link System#nanoTime}) is still within {@code fastPath}'s
     * time: for running the next step, taking a new operation, and waiting for one.
     */
    private static boolean hasTimeLeft(FastPath fastPath, long startedNanos) {
        return System.nanoTime() - startedNanos < fastPath.maxTime().toNanos();
    }

    /** Runs one attempt; returns the next attempt if this worker claimed it to run it directly (the fast path). */
    private Loaded execute(Loaded l, int stepsRun, long startedNanos, Worker worker) {
        Optional<CompiledDefinition> found = engine.definitions().resolve(l.operation().definition(), l.operation().definitionVersion(),
                l.attempt().step());
        if (found.isEmpty()) {
            handBack.route(l); // why not failed: during a rolling deploy another node has it; if none, it is paused, visibly
            return null;
        }
        CompiledDefinition definition = found.get();
        StepDef step = definition.step(l.attempt().step()).orElseThrow();
        if (!worker.admit(l, definition, step)) return null; // queued behind a limit, uncounted: a freed place wakes it
        if (l.attempt().visit() == 1 && l.attempt().attemptCount() == 1) {
            engine.telemetry().operationStarted(definition.name());
            Instant due = l.attempt().scheduledAt().isAfter(l.operation().createdAt()) ? l.attempt().scheduledAt() : l.operation().createdAt();
            engine.telemetry().startLag(definition.name(), java.time.Duration.between(due, engine.now()));
        }
        org.slf4j.MDC.put("durableops.operation", l.operation().id().toString());
        org.slf4j.MDC.put("durableops.step", step.name());
        org.slf4j.MDC.put("durableops.attempt", l.attempt().id().toString());
        try (Telemetry.Step observed = engine.telemetry().step(definition.name(), step.name(), l.operation().id().toString(),
                l.attempt().id().toString(), l.attempt().attemptCount(), Telemetry.decode(l.operation().traceContext()))) {
            return execute(l, definition, step, stepsRun, startedNanos, worker, observed);
        } finally {
            org.slf4j.MDC.remove("durableops.operation");
            org.slf4j.MDC.remove("durableops.step");
            org.slf4j.MDC.remove("durableops.attempt");
        }
    }

    /** Runs the step's code and records what it decided, inside its observation. */
    private Loaded execute(Loaded l, CompiledDefinition definition, StepDef step, int stepsRun, long startedNanos, Worker worker,
                           Telemetry.Step observed) {
        Context context;
        try {
            ObjectNode globals = l.decodedGlobals() != null ? l.decodedGlobals()
                    : engine.codec().open(l.storedGlobals(), "the globals of operation " + l.operation().id());
            ObjectNode args = l.decodedArgs() != null ? l.decodedArgs()
                    : engine.codec().open(l.attempt().args(), "the args of attempt " + l.attempt().id());
            String key = l.operation().id() + "/" + step.name() + "/" + l.attempt().visit();
            context = new Context(engine, l.operationId(), definition, step, l.attempt().attemptCount(), key, globals, args);
        } catch (DecryptionException | SerializationException e) {
            observed.outcome("failed");
            failures.failPermanently(l, e.getMessage(), e);
            return null;
        }
        boolean claimNext = mayRunNext(definition, stepsRun, startedNanos);
        Completion completion;
        try {
            completion = step.options().isTransactional()
                    ? performInTransaction(l, definition, step, context, claimNext)
                    : complete(l, definition, step, context, performWithTimeout(l, definition, step, context), claimNext, worker);
        } catch (FailWith e) {
            observed.outcome("failed");
            failures.failPermanently(l, e.getMessage(), null);
            return null;
        } catch (DecryptionException e) {
            // why at once: data that cannot be decrypted (a signal's payload, a child's results) fails every try alike
            observed.outcome("failed");
            failures.failPermanently(l, e.getMessage(), e);
            return null;
        } catch (Throwable t) {
            Throwable failure = t instanceof UserFailure user ? user.getCause() : t;
            observed.error(failure);
            observed.outcome(failures.recordFailure(l, definition, step, failure));
            if (failure instanceof VirtualMachineError error) throw error;
            return null;
        }
        observed.outcome(completion == null ? "discarded" : completion.outcomeName());
        if (completion == null) {
            LOG.info("attempt {} of operation {} ({} / {}) finished after the operation was expired, failed, cancelled or "
                    + "recovered elsewhere; its outcome is discarded", l.attempt().id(), l.operation().id(), definition.name(), step.name());
            return null;
        }
        completion.dispatchAfterCommit();
        if (completion.ended() != null) {
            engine.telemetry().operationEnded(definition.name(), completion.ended().name());
            engine.awaits().ended(l.operation().id());
        }
        return completion.claimedNext();
    }

    /** Records a completion in its own transaction; null if the operation moved on meanwhile. */
    private Completion complete(Loaded l, CompiledDefinition definition, StepDef step, Context context, Outcome outcome,
                                boolean claimNext, Worker worker) {
        return worker.record(new Completion(engine, dispatch, l, definition, step, context, outcome, claimNext), claimNext,
                "record completion of attempt " + l.attempt().id());
    }

    /**
     * Runs a transactional step's code inside the transaction that records its completion: its writes and the
     * completion commit together or not at all. A failure of the code rolls everything back and is re-thrown
     * wrapped in {@link UserFailure}, so it is told apart from a failure to record.
     */
    private Completion performInTransaction(Loaded l, CompiledDefinition definition, StepDef step, Context first, boolean claimNext) {
        return engine.tx().runPooled("run transactional step " + step.name() + " of operation " + l.operation().id(), c -> {
            Context context = first.restart(); // a deadlock runs the transaction, and so the code, again from the start
            context.bind(c);
            try {
                Outcome outcome;
                try {
                    outcome = perform(l, definition, step, context);
                } catch (FailWith e) {
                    throw e;
                } catch (Throwable t) {
                    throw new UserFailure(t);
                }
                Completion completion = new Completion(engine, dispatch, l, definition, step, context, outcome, claimNext);
                if (!completion.record(c)) throw new Tx.Rollback();
                return completion;
            } finally {
                context.bind(null);
            }
        });
    }

    /** Carries a failure of user code out of a transaction. */
    private static final class UserFailure extends RuntimeException {
        UserFailure(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Runs the step; if it declares a timeout and overruns it, a watchdog records the try as failed with a
     * {@link StepTimeoutException} (the retry policy decides what follows), stops renewing its lease and interrupts
     * the thread. Whatever the step does afterwards is discarded: the try is no longer the attempt's current one.
     */
    private Outcome performWithTimeout(Loaded l, CompiledDefinition definition, StepDef step, Context context) throws Exception {
        java.time.Duration timeout = step.options().stepTimeout();
        if (timeout == null) return perform(l, definition, step, context);
        Thread runner = Thread.currentThread();
        ScheduledFuture<?> watchdog = watchdogs.get().schedule(() -> {
            inFlight.remove(l.attempt().id(), l);
            failures.recordFailure(l, definition, step, new StepTimeoutException(step.name(), timeout));
            runner.interrupt();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return perform(l, definition, step, context);
        } finally {
            watchdog.cancel(false);
            Thread.interrupted(); // why: an interrupt aimed at a step that overran must not leak into the worker's next job
        }
    }

    private Outcome perform(Loaded l, CompiledDefinition definition, StepDef step, Context context) throws Exception {
        return perform(engine, waits, l, definition, step, context);
    }

    /** What a step decides, from its code; shared with {@link IsolatedStep}, which runs it without a database. */
    static Outcome perform(Engine engine, Waits waits, Loaded l, CompiledDefinition definition, StepDef step, Context context) throws Exception {
        if (step.kind().isWait()) return waits.evaluate(l, definition, step, context);
        switch (step.kind()) {
            case ACTION -> {
                step.action().run(context);
                return context.goOnFrom(step);
            }
            case DECISION -> {
                boolean result = step.condition().test(context);
                return context.goOn(result ? step.ifTrue() : step.ifFalse());
            }
            case RESULT -> {
                ObjectNode results = engine.codec().emptyObject();
                step.resultHandler().write(context, new Results() {
                    @Override
                    public Results put(String key, Object value) {
                        results.set(key, engine.codec().toNode(value, "result '" + key + "'"));
                        return this;
                    }
                });
                return Outcome.end(OperationStatus.COMPLETED, results, null);
            }
            case FAILURE -> {
                return Outcome.end(OperationStatus.FAILED, null, step.failureReason());
            }
        }
        throw new IllegalStateException("unknown step kind " + step.kind());
    }

}

package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.StagedWork;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Everything a successful step leaves behind, written in one transaction: the attempt SUCCEEDED, the operation's
 * globals, pointer and status, the next attempt, and the operations and work the step staged. Only after that
 * commit is anything dispatched.
 */
final class Completion {
    private final Engine engine;
    private final Dispatch dispatch;
    private final Loaded loaded;
    private final CompiledDefinition definition;
    private final StepDef step;
    private final Outcome outcome;
    private final Instant now;
    private final Rows.Attempt next;
    private final byte[] globals;
    private final byte[] results;
    private final List<NewOperation> started;
    private final List<StagedWork> staged;
    private final UUID consumedSignal;
    private final Context context;
    private final List<Rows.Pending> woken = new ArrayList<>();
    private boolean parkedDue;
    private final boolean claimed;
    private final boolean alone;
    private boolean recordedAlone;

    /**
     * {@code claimNext}: if the next step is due now, insert its attempt already claimed by this worker (RUNNING, its
     * lease started) so the worker can run it directly, without a dispatch and without a separate claim (the fast path).
     */
    Completion(Engine engine, Dispatch dispatch, Loaded loaded, CompiledDefinition definition, StepDef step, Context context,
               Outcome outcome, boolean claimNext) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.loaded = loaded;
        this.definition = definition;
        this.step = step;
        this.outcome = outcome;
        this.now = engine.now();
        this.context = context;
        this.consumedSignal = context.consumedSignal();
        Instant runAt = outcome.next() == null ? null : outcome.runAt(now);
        byte[] nextArgs = outcome.next() == null ? null : engine.codec().seal(context.nextArgsNode(), "the arguments passed to step '" + outcome.next() + "'");
        StepDef nextStep = outcome.next() == null ? null : definition.step(outcome.next()).orElse(null);
        // why not a step with limits of its own: it takes its places when it is claimed, not inside this completion
        this.claimed = claimNext && runAt != null && !runAt.isAfter(now) && nextStep != null && nextStep.options().limits().isEmpty();
        // why: encrypting globals the step did not touch would only cost time (a no-op step then encrypts nothing)
        this.globals = context.globalsChanged() ? engine.codec().seal(context.globalsNode(), "the globals of operation " + loaded.operation().id()) : loaded.storedGlobals();
        this.results = engine.codec().seal(outcome.results(), "the results of operation " + loaded.operation().id());
        this.started = List.copyOf(context.startedOperations());
        this.staged = List.copyOf(context.stagedWork());
        // why not a transactional step: its code's writes commit with its completion, in one transaction
        this.alone = claimed && writesNoMoreThanOneStatementCan() && !step.options().isTransactional() && !outcome.status().isTerminal()
                // why: a wait is woken through the operation row's pointer, so it must point at the wait's attempt
                && nextStep != null && !nextStep.kind().isWait();
        // recorded alone, the operation row keeps its globals: the next attempt carries them if they moved on since
        byte[] carried = alone && (context.globalsChanged() || loaded.attempt().globals() != null) ? globals : null;
        Rows.Attempt scheduled = outcome.next() == null ? null : Rows.Attempt.scheduled(UUID.randomUUID(), loaded.operation().id(),
                outcome.next(), loaded.attempt().visit() + 1, nextArgs, now, Waits.deadlineOf(nextStep, runAt)).dueAt(runAt);
        this.next = scheduled == null || !claimed ? scheduled : scheduled.claimedAtInsert(now, now.plus(engine.lease()), carried);
    }

    /**
     * What both kinds of one-statement record ({@link #isAlone}, {@link #isSingleStatement}) need: a database that
     * updates joined tables, no park, no signal consumed, no child started, no work staged, and no search attributes to
     * write (they are written with the globals they come from, in a transaction).
     */
    private boolean writesNoMoreThanOneStatementCan() {
        return engine.store().turns().recordsStepsAlone() && outcome.park() == null && consumedSignal == null && started.isEmpty()
                && staged.isEmpty() && (!context.globalsChanged() || definition.searchAttributes().isEmpty());
    }

    /**
     * Whether this completion is recorded alone ({@link #recordAlone}): its successor is claimed by this worker, and it
     * writes nothing but the two attempts (the globals, if they changed, go on the next attempt): not a transactional
     * step, no search attributes, signal, children, staged work or end, and its successor is no wait.
     */
    boolean isAlone() {
        return alone;
    }

    /**
     * Whether {@link #record} is one statement, which needs no transaction around it: the operation's last step on
     * MySQL/MariaDB (its attempt and its operation, globals included, updated together), with no search attributes,
     * signal, children, staged work or parent to wake. It settles the attempts of a turn that ends there as well.
     */
    boolean isSingleStatement() {
        return next == null && writesNoMoreThanOneStatementCan() && loaded.operation().parentId() == null;
    }

    /** Records this completion in one statement on an auto-commit connection; false if the operation moved on meanwhile. */
    boolean recordAlone(Connection c) throws SQLException {
        recordedAlone = engine.store().turns().recordAlone(c, loaded.operation().currentAttemptId(), loaded.attempt().id(),
                loaded.attempt().attemptCount(), next);
        return recordedAlone;
    }

    /** Writes the completion on {@code c}; false if the operation moved on meanwhile (then the caller rolls back). */
    boolean record(Connection c) throws SQLException {
        woken.clear(); // why: the transaction may be run again after a deadlock
        if (outcome.park() != null) return recordPark(c);
        if (!engine.store().completeStep(c, loaded.operation().id(), loaded.operation().currentAttemptId(), loaded.attempt().id(),
                loaded.attempt().attemptCount(),
                outcome.status(), next != null ? next.step() : step.name(), next != null ? next.id() : loaded.attempt().id(),
                globals, results, outcome.reason(), now)) {
            return false;
        }
        if (next != null) engine.store().insertAttempt(c, next);
        if (consumedSignal != null && !engine.flow().consume(c, consumedSignal, loaded.attempt().id(), now)) return false;
        if (context.globalsChanged()) SearchAttributes.save(engine, c, loaded.operation().id(), definition, context.globalsNode());
        if (outcome.status().isTerminal()) {
            new Waits(engine).wakeParent(c, loaded.operation().parentId(), now).ifPresent(woken::add);
        }
        for (NewOperation operation : started) operation.insertOrFind(engine, c);
        for (StagedWork work : staged) {
            io.durableops.core.internal.store.StagedStore.insert(c, work.id(), loaded.operation().id(), loaded.attempt().id(), work.kind(),
                    engine.codec().sealText(work.payload()), now);
        }
        return true;
    }

    /** The next attempt, claimed by this worker in the committed completion, with its operation as it now stands; or null. */
    Loaded claimedNext() {
        if (!claimed || next == null) return null;
        Rows.Operation o = loaded.operation();
        // why the decoded data too: the worker runs the next step at once; decrypting and parsing what it has just
        // written would only cost time
        ObjectNode args = context.nextArgsNode();
        // a completion recorded alone left the operation row where it was (see Turns.recordAlone)
        Rows.Operation operation = recordedAlone ? o : o.movedTo(next.step(), next.id(), globals, now);
        return new Loaded(operation, next, context.globalsNode(), args != null ? args : engine.codec().emptyObject());
    }

    /** A wait that keeps waiting: parked until its next check or deadline, possibly starting the child it calls. */
    private boolean recordPark(Connection c) throws SQLException {
        Outcome.Park park = outcome.park();
        java.util.Optional<Boolean> wokenMeanwhile = engine.flow().park(c, loaded.attempt().id(), loaded.attempt().attemptCount(),
                park.until(), park.dispatch(), now);
        if (wokenMeanwhile.isEmpty()) return false;
        if (park.child() != null) park.child().insertOrFind(engine, c);
        parkedDue = wokenMeanwhile.get();
        return true;
    }

    /** What the step came to, for its observation: parked (a wait that waits on), or succeeded. */
    String outcomeName() {
        return outcome.park() != null ? "parked" : "succeeded";
    }

    /** Whether the committed completion ended the operation, and how: COMPLETED, FAILED (a failure step), or null. */
    io.durableops.core.OperationStatus ended() {
        return outcome.status().isTerminal() ? outcome.status() : null;
    }

    /** Dispatches what the committed completion started. */
    void dispatchAfterCommit() {
        List<Rows.Pending> pending = new ArrayList<>(woken);
        Outcome.Park park = outcome.park();
        if (park != null) {
            if (parkedDue || park.dispatch()) {
                pending.add(new Rows.Pending(loaded.attempt().id(), loaded.attempt().generation() + 1, loaded.operation().id(),
                        definition.name(), step.name(), loaded.attempt().attemptCount() - 1, parkedDue ? now : park.until()));
            }
            if (park.child() != null) pending.add(park.child().pending());
        }
        if (next != null && !claimed) {
            pending.add(Rows.Pending.of(next, definition.name()));
        }
        started.forEach(operation -> pending.add(operation.pending()));
        dispatch.send(pending);
        if (!staged.isEmpty()) dispatch.sendStaged(staged);
    }
}

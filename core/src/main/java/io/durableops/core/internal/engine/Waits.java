package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationStatus;
import io.durableops.core.WaitOptions;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.FlowStore;
import io.durableops.core.internal.store.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Wait steps: evaluates them (condition, signal, children) into an outcome or a parking, and wakes a parked wait
 * when something it may be waiting for arrives (a signal, a child that finished).
 */
final class Waits {
    /** Where a wait with no timeout is parked: only a wake-up moves it. */
    static final Instant FOREVER = Instant.parse("9999-01-01T00:00:00Z");

    private final Engine engine;

    Waits(Engine engine) {
        this.engine = engine;
    }

    Outcome evaluate(Loaded l, CompiledDefinition definition, StepDef step, Context context) throws Exception {
        Instant now = context.now();
        Instant deadline = l.attempt() == null ? null : l.attempt().deadlineAt(); // null: run in isolation by StepTester
        boolean timedOut = deadline != null && !now.isBefore(deadline);
        WaitOptions wait = step.waitOptions();
        switch (step.kind()) {
            case WAIT_CONDITION -> {
                if (step.condition().test(context)) return context.goOnFrom(step);
                if (timedOut) return timeout(step, context);
                Instant recheck = now.plus(wait.recheckEvery());
                return Outcome.park(deadline != null && deadline.isBefore(recheck) ? deadline : recheck, true, null);
            }
            case WAIT_SIGNAL -> {
                Optional<FlowStore.Signal> signal = engine.tx().auto("read signals",
                        c -> engine.flow().firstUnconsumed(c, l.operation().id(), step.signal()));
                if (signal.isPresent()) {
                    context.consume(signal.get().id(), step.storeKey(), payload(signal.get()));
                    return context.goOnFrom(step);
                }
                if (timedOut) return timeout(step, context);
                return park(deadline, null);
            }
            case WAIT_CHILDREN -> {
                return children(l, step, context, timedOut, deadline);
            }
            case CALL -> {
                String key = callKey(l);
                Optional<Rows.Operation> child = engine.tx().auto("find called child",
                        c -> engine.store().findByIdempotencyKey(c, step.childDefinition(), key));
                if (child.isEmpty()) {
                    NewOperation start = NewOperation.prepare(engine, step.childDefinition(), step.childInput().input(context),
                            EnqueueOptions.idempotencyKey(key), 1, l.operation().id());
                    return park(deadline, start);
                }
                Rows.Operation c = child.get();
                if (c.status() == OperationStatus.RUNNING) return timedOut ? timeout(step, context) : park(deadline, null);
                if (c.status() == OperationStatus.COMPLETED) {
                    context.store(step.storeKey(), engine.codec().open(c.results(), "the results of operation " + c.id()));
                    return context.goOnFrom(step);
                }
                return childFailed(step, context, c, engine.codec().mapper().createArrayNode().add(summary(c)));
            }
            default -> throw new IllegalStateException(step.kind() + " is not a wait");
        }
    }

    private Outcome children(Loaded l, StepDef step, Context context, boolean timedOut, Instant deadline) throws SQLException {
        Map<OperationStatus, Integer> counts = engine.tx().auto("count children", c -> engine.flow().childCounts(c, l.operation().id()));
        int completed = counts.getOrDefault(OperationStatus.COMPLETED, 0);
        int running = counts.getOrDefault(OperationStatus.RUNNING, 0);
        int failed = counts.values().stream().mapToInt(Integer::intValue).sum() - completed - running;
        WaitOptions wait = step.waitOptions();
        int needed = switch (wait.childrenRequired()) {
            case ALL -> completed + running + failed;
            case ANY -> Math.min(1, completed + running + failed);
            case AT_LEAST -> wait.atLeastCount();
        };
        boolean enough = completed >= needed;
        boolean hopeless = wait.childrenRequired() == WaitOptions.Children.ALL ? failed > 0 : completed + running < needed;
        if (!enough && !hopeless) return timedOut ? timeout(step, context) : park(deadline, null);
        List<Rows.Operation> children = engine.tx().auto("read children", c -> engine.flow().children(c, l.operation().id(), engine.store()));
        ArrayNode list = engine.codec().mapper().createArrayNode();
        Rows.Operation firstFailure = null;
        for (Rows.Operation child : children) {
            list.add(summary(child));
            if (firstFailure == null && child.status() != OperationStatus.RUNNING && child.status() != OperationStatus.COMPLETED) firstFailure = child;
        }
        if (enough && !(wait.childrenRequired() == WaitOptions.Children.ALL && failed > 0)) {
            context.store(step.storeKey(), list);
            return context.goOnFrom(step);
        }
        return childFailed(step, context, firstFailure, list);
    }

    private Outcome childFailed(StepDef step, Context context, Rows.Operation child, ArrayNode children) {
        context.store(step.storeKey(), children);
        if (step.waitOptions().childFailureStep() != null) {
            return Outcome.next(step.waitOptions().childFailureStep(), null, stepDelay(context, step.waitOptions().childFailureStep()));
        }
        throw new FailWith("child operation " + child.id() + " (" + child.definition() + ") ended " + child.status()
                + (child.failureReason() == null ? "" : ": " + child.failureReason()));
    }

    private ObjectNode summary(Rows.Operation child) {
        ObjectNode node = engine.codec().mapper().createObjectNode();
        node.put("id", child.id().toString());
        node.put("definition", child.definition());
        node.put("status", child.status().name());
        if (child.status() == OperationStatus.COMPLETED) node.set("results", engine.codec().open(child.results(), "the results of operation " + child.id()));
        if (child.failureReason() != null) node.put("failureReason", child.failureReason());
        return node;
    }

    private JsonNode payload(FlowStore.Signal signal) {
        if (signal.payload() == null) return engine.codec().mapper().nullNode();
        ObjectNode wrapper = engine.codec().open(signal.payload(), "the payload of signal '" + signal.name() + "'");
        return wrapper.get("payload");
    }

    private java.time.Duration stepDelay(Context context, String step) {
        return context.definition(step).options().startDelay();
    }

    private Outcome timeout(StepDef step, Context context) {
        String target = step.waitOptions().timeoutStep();
        if (target == null) {
            throw new FailWith("wait '" + step.name() + "' timed out after " + step.waitOptions().waitTimeout());
        }
        return Outcome.next(target, null, stepDelay(context, target));
    }

    private static Outcome park(Instant deadline, NewOperation child) {
        return Outcome.park(deadline != null ? deadline : FOREVER, deadline != null, child);
    }

    /** The idempotency key of the child a call step starts: one child per visit of the step. */
    private static String callKey(Loaded l) {
        return "call:" + l.attempt().id();
    }

    /** The deadline of a wait step reached at {@code scheduledAt}, or null. */
    static Instant deadlineOf(StepDef step, Instant scheduledAt) {
        return step == null ? null : step.waitDeadline(scheduledAt);
    }

    /**
     * Inside a transaction: wakes the current attempt of {@code operationId} if it is a wait step. Returns what to
     * dispatch after the commit, if anything.
     */
    Optional<Rows.Pending> wake(Connection c, UUID operationId, Instant now) throws SQLException {
        // why a locking read: a plain one may show the operation as it was when this transaction's snapshot was taken
        // (MySQL's REPEATABLE READ), before it moved into the wait that should be woken, and the wake-up was lost
        Optional<Rows.Operation> op = engine.store().lockOperation(c, operationId);
        return op.isEmpty() ? Optional.empty() : wake(c, op.get(), now);
    }

    /** As {@link #wake(Connection, UUID, Instant)}, for an operation this transaction has read with its lock. */
    Optional<Rows.Pending> wake(Connection c, Rows.Operation op, Instant now) throws SQLException {
        if (op.status() != OperationStatus.RUNNING || op.currentAttemptId() == null) return Optional.empty();
        UUID attemptId = op.currentAttemptId();
        Optional<StepDef> step = engine.definitions().resolve(op.definition(), op.definitionVersion(), op.currentStep())
                .flatMap(d -> d.step(op.currentStep()));
        if (step.isEmpty()) {
            // why: this node runs another build and cannot tell whether the step is a wait; a node that has it judges
            // (its relay looks at attempts marked so, see Cluster), so the wake-up is not lost in a rolling deploy
            io.durableops.core.internal.store.ClusterStore.markForAnotherNode(c, attemptId, now);
            return Optional.empty();
        }
        if (!step.get().kind().isWait()) return Optional.empty();
        if (!engine.flow().wake(c, attemptId, now)) return Optional.empty();
        Rows.Attempt attempt = engine.store().findAttempt(c, attemptId).orElseThrow();
        return Optional.of(new Rows.Pending(attemptId, attempt.generation(), op.id(), op.definition(), attempt.step(),
                attempt.attemptCount(), now));
    }

    /** Inside a transaction: a child that just ended wakes its parent's wait. */
    Optional<Rows.Pending> wakeParent(Connection c, UUID parentId, Instant now) throws SQLException {
        return parentId == null ? Optional.empty() : wake(c, parentId, now);
    }
}

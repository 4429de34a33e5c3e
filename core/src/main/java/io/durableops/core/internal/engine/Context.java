package io.durableops.core.internal.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.Data;
import io.durableops.core.OperationId;
import io.durableops.core.StepContext;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.StagedWork;
import io.durableops.core.internal.Limits;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.json.JsonCodec;
import io.durableops.core.internal.json.JsonData;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The {@link StepContext} of one try of one attempt. Collects what the step decided; the runner records it. */
final class Context implements StepContext {
    private final Engine engine;
    private final OperationId operationId;
    private final CompiledDefinition definition;
    private final StepDef stepDef;
    private final String step;
    private final int attempt;
    private final String idempotencyKey;
    private final Instant now;
    private final JsonCodec codec;
    private final ObjectNode globals;
    private final ObjectNode initialGlobals;
    private final ObjectNode args;
    private final ObjectNode nextArgs;
    private final List<NewOperation> started = new ArrayList<>();
    private final List<StagedWork> staged = new ArrayList<>();
    private String next;
    private Instant nextAt;
    private Connection connection;
    private UUID consumedSignal;
    private boolean globalsChanged;

    Context(Engine engine, OperationId operationId, CompiledDefinition definition, StepDef step, int attempt,
            String idempotencyKey, ObjectNode globals, ObjectNode args) {
        this.engine = engine;
        this.operationId = operationId;
        this.definition = definition;
        this.stepDef = step;
        this.step = step.name();
        this.attempt = attempt;
        this.idempotencyKey = idempotencyKey;
        this.now = engine.now();
        this.codec = engine.codec();
        this.globals = globals;
        this.initialGlobals = step.options().isTransactional() ? globals.deepCopy() : null; // only these run again
        this.args = args;
        this.nextArgs = codec.emptyObject();
    }

    @Override
    public OperationId operationId() {
        return operationId;
    }

    @Override
    public String definition() {
        return definition.name();
    }

    @Override
    public String step() {
        return step;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return globals().get(key, type);
    }

    @Override
    public <T> T get(String key, TypeReference<T> type) {
        return globals().get(key, type);
    }

    @Override
    public <T> Optional<T> find(String key, Class<T> type) {
        return globals().find(key, type);
    }

    @Override
    public StepContext set(String key, Object value) {
        globals.set(Objects.requireNonNull(key, "key"), codec.toNode(value, "global '" + key + "'"));
        globalsChanged = true;
        return this;
    }

    @Override
    public StepContext remove(String key) {
        globalsChanged |= globals.remove(key) != null;
        return this;
    }

    @Override
    public List<io.durableops.core.ChildSummary> children(String key) {
        com.fasterxml.jackson.databind.JsonNode stored = globals.get(key);
        if (stored == null || stored.isNull()) return List.of();
        List<io.durableops.core.ChildSummary> children = new ArrayList<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode c : stored) {
                ObjectNode results = c.get("results") instanceof ObjectNode r ? r : codec.emptyObject();
                children.add(new io.durableops.core.ChildSummary(OperationId.parse(c.get("id").asText()), c.get("definition").asText(),
                        io.durableops.core.OperationStatus.valueOf(c.get("status").asText()),
                        new JsonData(results, codec, "the results of child " + c.get("id").asText()),
                        Optional.ofNullable(c.get("failureReason")).map(com.fasterxml.jackson.databind.JsonNode::asText)));
            }
        } catch (RuntimeException e) {
            throw new io.durableops.core.SerializationException("global '" + key + "' does not hold child summaries: " + e.getMessage(), e);
        }
        return children;
    }

    @Override
    public Data globals() {
        return new JsonData(globals, codec, "globals");
    }

    @Override
    public Data args() {
        return new JsonData(args, codec, "args of step '" + step + "'");
    }

    @Override
    public StepContext pass(String key, Object value) {
        nextArgs.set(Objects.requireNonNull(key, "key"), codec.toNode(value, "argument '" + key + "'"));
        return this;
    }

    @Override
    public void goTo(String target) {
        requireSteering("goTo");
        if (definition.step(target).isEmpty()) {
            throw new FailWith("step '" + step + "' called goTo(\"" + target + "\"), but definition '" + definition.name()
                    + "' has no such step; known steps: " + String.join(", ", definition.steps().keySet()));
        }
        this.next = target;
    }

    @Override
    public void jumpTo(String branch) {
        requireSteering("jumpTo");
        this.next = definition.firstOf(branch).orElseThrow(() -> new FailWith("step '" + step + "' called jumpTo(\"" + branch
                + "\"), but definition '" + definition.name() + "' has no such branch; branches: "
                + String.join(", ", definition.branches().keySet())));
    }

    @Override
    public void jumpTo(String branch, String target) {
        goTo(target);
        String actual = definition.steps().get(target).branch();
        if (!actual.equals(branch)) {
            throw new FailWith("step '" + step + "' called jumpTo(\"" + branch + "\", \"" + target + "\"), but '" + target
                    + "' belongs to branch '" + actual + "'");
        }
    }

    /** Decisions, results and failures go only where they are declared to; steering them is a mistake, said at once. */
    private void requireSteering(String call) {
        if (!stepDef.kind().fallsThrough()) {
            throw new FailWith("step '" + step + "' is a " + stepDef.kind().label() + " and called " + call
                    + "(...); only actions and waits choose their next step at run time");
        }
    }

    @Override
    public void delayNext(Duration delay) {
        // why FailWith: a delay the code computed wrong is wrong on every try; the operation fails once, with the reason
        if (delay == null || delay.isNegative()) throw new FailWith("step '" + step + "' called delayNext(" + delay + "); a delay must not be negative");
        Instant at = Limits.plusOrNull(now, delay);
        if (at == null) throw new FailWith("step '" + step + "' called delayNext(" + delay + "): " + Limits.unstorable("the next step's time", now + " + " + delay));
        this.nextAt = at;
    }

    @Override
    public void runNextAt(Instant instant) {
        if (instant == null || !Limits.storable(instant)) {
            throw new FailWith("step '" + step + "' called runNextAt(" + instant + "): " + Limits.unstorable("the next step's time", instant));
        }
        this.nextAt = instant;
    }

    @Override
    public String idempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public void failWith(String reason) {
        throw new FailWith(reason == null || reason.isBlank() ? "step '" + step + "' failed the operation without a reason" : Limits.truncate(reason));
    }

    @Override
    public Connection connection() {
        if (!stepDef.options().isTransactional()) {
            throw new IllegalStateException("step '" + step + "' is not transactional; declare it with StepOptions.transactional() to use connection()");
        }
        if (connection == null) throw new IllegalStateException("connection() is only available while the step runs");
        return connection;
    }

    @Override
    public OperationId enqueueAfterCommit(String definitionName, Map<String, ?> input) {
        NewOperation operation = NewOperation.prepare(engine, definitionName, input, EnqueueOptions.defaults(), 1, null);
        started.add(operation);
        return operation.id();
    }

    @Override
    public void stage(StagedWork work) {
        Objects.requireNonNull(work, "work");
        if (work.payload().length() > Limits.DOCUMENT_BYTES) {
            throw new io.durableops.core.SerializationException("staged work '" + work.kind() + "' has a payload of " + work.payload().length()
                    + " characters; Durable Ops stores at most " + Limits.DOCUMENT_BYTES, null);
        }
        staged.add(work);
    }

    @Override
    public OperationId startChild(String definitionName, Map<String, ?> input) {
        NewOperation child = NewOperation.prepare(engine, definitionName, input, EnqueueOptions.defaults(), 1, operationId.value());
        started.add(child);
        return child.id();
    }

    /** A wait consumed this signal and stored its payload; the completion marks it consumed. */
    void consume(UUID signalId, String key, JsonNode payload) {
        this.consumedSignal = signalId;
        store(key, payload);
    }

    /** Sets a global to a JSON value as it is. */
    void store(String key, JsonNode value) {
        globals.set(key, value);
        globalsChanged = true;
    }

    UUID consumedSignal() {
        return consumedSignal;
    }

    /**
     * The outcome "go on to {@code target}": at the instant this step named ({@link #runNextAt}, {@link #delayNext}),
     * else after the target's own delay.
     */
    Outcome goOn(String target) {
        return Outcome.next(target, nextAt, definition(target).options().startDelay());
    }

    /** Goes on to the step this step named at run time ({@link #goTo}, {@link #jumpTo}), else to {@code step}'s next. */
    Outcome goOnFrom(StepDef step) {
        return goOn(next != null ? next : step.next());
    }

    /** A step of this operation's definition, which exists (targets are validated at registration). */
    StepDef definition(String step) {
        return definition.step(step).orElseThrow();
    }

    /**
     * A fresh context with the same starting data, for running the step's code again: a transactional step whose
     * transaction deadlocked runs again from the globals it started with, not from what the failed run left behind.
     */
    Context restart() {
        return new Context(engine, operationId, definition, stepDef, attempt, idempotencyKey, initialGlobals.deepCopy(), args.deepCopy());
    }

    void bind(Connection connection) {
        this.connection = connection;
    }

    List<NewOperation> startedOperations() {
        return started;
    }

    List<StagedWork> stagedWork() {
        return staged;
    }

    ObjectNode globalsNode() {
        return globals;
    }

    /** Whether the step set or removed a global: if not, the stored globals are kept as they are, not written again. */
    boolean globalsChanged() {
        return globalsChanged;
    }

    ObjectNode nextArgsNode() {
        return nextArgs.isEmpty() ? null : nextArgs;
    }
}

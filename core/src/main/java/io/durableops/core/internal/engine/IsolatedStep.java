package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.StagedWork;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.json.JsonCodec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs one step's code with given globals and arguments, without a database or a dispatcher, and reports what the
 * engine would have recorded (the testing kit's {@code StepTester}).
 */
public final class IsolatedStep {
    /** What the step decided. {@code error} is what it threw (not a flow failure), {@code failureReason} a flow failure. */
    public record Result(String nextStep, Instant nextAt, OperationStatus status, ObjectNode globals, ObjectNode nextArgs,
                         ObjectNode results, String failureReason, Throwable error, Instant parkedUntil,
                         List<Map.Entry<String, ObjectNode>> startedOperations, List<StagedWork> staged) {
    }

    private IsolatedStep() {
    }

    public static Result run(Definitions definitions, JsonCodec codec, Clock clock, String definitionName, String stepName,
                             Map<String, ?> globals, Map<String, ?> args, int attempt) {
        Engine engine = new Engine(null, null, null, definitions, codec, clock, Duration.ofMinutes(1), io.durableops.core.FastPath.off(),
                io.durableops.core.internal.telemetry.Telemetry.NONE, new Awaits());
        CompiledDefinition definition = definitions.get(definitionName);
        StepDef step = definition.step(stepName).orElseThrow(() -> new IllegalArgumentException("definition '" + definitionName
                + "' has no step '" + stepName + "'; known steps: " + String.join(", ", definition.steps().keySet())));
        if (step.kind() == StepDef.Kind.WAIT_SIGNAL || step.kind() == StepDef.Kind.WAIT_CHILDREN || step.kind() == StepDef.Kind.CALL) {
            throw new UnsupportedOperationException("step '" + stepName + "' is a " + step.kind().label()
                    + ", which needs signals or child operations: run the whole operation with TestEngine");
        }
        OperationId id = OperationId.random();
        ObjectNode globalsNode = codec.toObject(globals, "globals");
        Context context = new Context(engine, id, definition, step, attempt, id + "/" + stepName + "/1", globalsNode,
                codec.toObject(args, "args"));
        Loaded loaded = new Loaded(null, null);
        Outcome outcome;
        try {
            outcome = StepRunner.perform(engine, new Waits(engine), loaded, definition, step, context);
        } catch (FailWith e) {
            return new Result(null, null, OperationStatus.FAILED, globalsNode, null, null, e.getMessage(), null, null, List.of(), List.of());
        } catch (Throwable t) {
            return new Result(null, null, OperationStatus.RUNNING, globalsNode, null, null, null, t, null, List.of(), List.of());
        }
        Instant now = engine.now();
        List<Map.Entry<String, ObjectNode>> started = context.startedOperations().stream()
                .map(op -> Map.entry(op.definition().name(), op.input())).toList();
        return new Result(outcome.next(), outcome.next() == null ? null : outcome.runAt(now), outcome.status(), globalsNode,
                context.nextArgsNode(), outcome.results(), outcome.reason(), null,
                outcome.park() == null ? null : outcome.park().until(), started, List.copyOf(context.stagedWork()));
    }
}

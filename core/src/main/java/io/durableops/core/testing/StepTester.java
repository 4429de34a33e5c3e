package io.durableops.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.Data;
import io.durableops.core.Encryptor;
import io.durableops.core.OperationDefinition;
import io.durableops.core.internal.engine.IsolatedStep;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.json.JsonCodec;
import io.durableops.core.internal.json.JsonData;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one step of a definition in isolation, with the globals you give it, and tells what it decided: the next step,
 * changed globals, results, a failure — standard_procedure_operations' {@code handling}. No database, no JobRunr, no
 * threads: the step's code runs in the calling thread.
 *
 * <pre>{@code
 * StepOutcome outcome = StepTester.of(new PrepareDocumentForDownload()).handling("authorised?", Map.of("user", "mallory"));
 * assertThat(outcome.nextStep()).hasValue("unauthorised");
 * }</pre>
 *
 * Waits for signals or children need the whole operation: use {@link TestEngine}.
 */
public final class StepTester {
    private final OperationDefinition definition;
    private final List<OperationDefinition> others = new ArrayList<>();
    private Clock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ObjectMapper mapper = JsonCodec.defaultMapper();
    private Definitions compiled;

    private StepTester(OperationDefinition definition) {
        this.definition = definition;
    }

    /** A tester of {@code definition}'s steps (the definition is validated as at registration). */
    public static StepTester of(OperationDefinition definition) {
        return new StepTester(definition);
    }

    /** Definitions its steps start as children or operations, so their input is validated as it would be. */
    public StepTester with(OperationDefinition... definitions) {
        others.addAll(List.of(definitions));
        compiled = null;
        return this;
    }

    /** The clock the step sees ({@code ctx.now()}) and delays are counted from. Defaults to 2026-01-01T00:00:00Z, standing still. */
    public StepTester clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public StepTester objectMapper(ObjectMapper mapper) {
        this.mapper = mapper;
        return this;
    }

    /** Runs {@code step} with these globals (and no arguments) as its first try. */
    public StepOutcome handling(String step, Map<String, ?> globals) {
        return handling(step, globals, Map.of(), 1);
    }

    /** Runs {@code step} with these globals and arguments, as try number {@code attempt}. */
    public StepOutcome handling(String step, Map<String, ?> globals, Map<String, ?> args, int attempt) {
        if (compiled == null) {
            List<OperationDefinition> all = new ArrayList<>(others);
            all.add(0, definition);
            compiled = new Definitions(all);
        }
        JsonCodec codec = new JsonCodec(mapper, Encryptor.plaintext());
        IsolatedStep.Result r = IsolatedStep.run(compiled, codec, clock, definition.name(), step, globals, args, attempt);
        return new StepOutcome(step, r.nextStep(), r.nextAt(), r.status(), data(r.globals(), codec, "globals"),
                data(r.nextArgs(), codec, "args"), data(r.results(), codec, "results"), r.failureReason(), r.error(),
                r.parkedUntil(), r.startedOperations().stream().map(e -> Map.entry(e.getKey(), data(e.getValue(), codec, "input"))).toList(),
                r.staged());
    }

    private static Data data(ObjectNode node, JsonCodec codec, String what) {
        return new JsonData(node == null ? codec.emptyObject() : node, codec, what);
    }
}

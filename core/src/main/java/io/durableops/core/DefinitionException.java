package io.durableops.core;

import java.util.List;

/**
 * An operation definition is malformed: an unknown target step, a duplicate step name, a step that can
 * reach no result. Thrown when the definition is registered, so the mistake shows at start-up.
 */
public final class DefinitionException extends DurableOpsException {
    private final List<String> problems;

    public DefinitionException(String definition, List<String> problems) {
        super("operation definition '" + definition + "' is invalid:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}

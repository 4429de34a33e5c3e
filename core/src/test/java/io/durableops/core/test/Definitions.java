package io.durableops.core.test;

import io.durableops.core.Action;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;

import java.util.function.Consumer;

/** Tiny helpers for writing definitions inline in tests. */
public final class Definitions {
    private Definitions() {
    }

    public static OperationDefinition define(String name, Consumer<Flow> steps) {
        return OperationDefinition.of(name, steps);
    }

    /** An action that records itself in the journal and does nothing else. */
    public static Action record(Journal journal, String step) {
        return ctx -> journal.ran(step);
    }
}

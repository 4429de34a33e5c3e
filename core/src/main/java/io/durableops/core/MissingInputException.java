package io.durableops.core;

import java.util.Set;

/** Enqueue was called without an input the definition declares as required; nothing was stored. */
public final class MissingInputException extends DurableOpsException {
    private final Set<String> missing;

    public MissingInputException(String definition, Set<String> missing) {
        super("operation '" + definition + "' requires input " + missing + " which was not given; nothing was stored");
        this.missing = Set.copyOf(missing);
    }

    public Set<String> missing() {
        return missing;
    }
}

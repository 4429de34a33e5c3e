package io.durableops.core;

import java.util.Collection;

/** A step was named (for example to retry from it) that the operation's definition does not have. */
public final class UnknownStepException extends DurableOpsException {
    public UnknownStepException(String definition, String step, Collection<String> known) {
        super("definition '" + definition + "' has no step '" + step + "'; known steps: " + String.join(", ", known));
    }
}

package io.durableops.core;

/**
 * An awaited operation ended without completing: FAILED, EXPIRED or CANCELLED. {@link #operation()} is how it ended,
 * with its reason.
 */
public final class OperationFailedException extends DurableOpsException {
    private final transient OperationView operation;

    public OperationFailedException(OperationView operation) {
        super("operation " + operation.id() + " (" + operation.definition() + ") ended " + operation.status()
                + operation.failureReason().map(r -> ": " + r).orElse(""));
        this.operation = operation;
    }

    public OperationView operation() {
        return operation;
    }
}

package io.durableops.core;

/** No operation exists with the given id. */
public final class OperationNotFoundException extends DurableOpsException {
    public OperationNotFoundException(OperationId id) {
        super("no operation with id " + id);
    }
}

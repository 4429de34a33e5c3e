package io.durableops.core;

/** A filter of an {@link OperationQuery} is malformed: the message says which and what is accepted. */
public final class InvalidQueryException extends DurableOpsException {
    public InvalidQueryException(String message) {
        super(message);
    }
}

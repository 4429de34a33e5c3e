package io.durableops.core;

import io.durableops.core.admin.OperationQuery;

/** A filter of an {@link OperationQuery} is malformed: the message says which and what is accepted. */
public final class InvalidQueryException extends DurableOpsException {
    public InvalidQueryException(String message) {
        super(message);
    }
}

package io.durableops.core.internal.engine;

import io.durableops.core.OperationId;
import io.durableops.core.internal.store.Rows;

/** A claimed attempt and its operation, as read right after the claim. */
record Loaded(Rows.Operation operation, Rows.Attempt attempt) {
    OperationId operationId() {
        return OperationId.of(operation.id());
    }
}

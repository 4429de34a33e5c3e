package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.OperationId;
import io.durableops.core.internal.store.Rows;

/** A claimed attempt and its operation, as read right after the claim. */
record Loaded(Rows.Operation operation, Rows.Attempt attempt, ObjectNode decodedGlobals, ObjectNode decodedArgs) {
    Loaded(Rows.Operation operation, Rows.Attempt attempt) {
        this(operation, attempt, null, null);
    }

    OperationId operationId() {
        return OperationId.of(operation.id());
    }
}

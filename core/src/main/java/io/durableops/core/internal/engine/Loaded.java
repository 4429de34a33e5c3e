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

    /**
     * The operation's globals as this attempt starts from them, encrypted: those its attempt carries, when steps recorded
     * alone left the operation row behind (see {@code Turns.recordAlone}), or else the operation row's.
     */
    byte[] storedGlobals() {
        return attempt.globals() != null ? attempt.globals() : operation.globals();
    }
}

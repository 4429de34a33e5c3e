package io.durableops.core.internal.engine;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;
import io.durableops.core.internal.store.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Ends running operations from outside their steps (operator expire, fail, cancel; a passed deadline): the operation,
 * its scheduled or running attempts, and, in cascade, its running children (cancelled). A running step may finish,
 * but its outcome is discarded and nothing after it is scheduled.
 */
final class Endings {
    private final Engine engine;
    private final Waits waits;

    Endings(Engine engine) {
        this.engine = engine;
        this.waits = new Waits(engine);
    }

    /**
     * Inside a transaction. Returns false (changing nothing) if the operation is neither RUNNING nor PAUSED. A parent waiting for
     * this operation is woken if {@code wakeParent}; what must be dispatched after the commit is added to {@code after}.
     */
    boolean end(Connection c, UUID operationId, OperationStatus status, String reason, Instant now, boolean wakeParent,
                List<Rows.Pending> after) throws SQLException {
        // why locked first: the operation row, then its attempts, is the order every writer locks them in
        OperationStatus from = engine.store().lockOperation(c, operationId).map(Rows.Operation::status).orElse(null);
        if (from != OperationStatus.RUNNING && from != OperationStatus.PAUSED) return false;
        // why first: the ended operation's row should point at the attempt it ended at, also mid-turn on the fast path
        engine.store().turns().takeOver(c, operationId, now);
        if (!engine.store().changeOperationStatus(c, operationId, from, status, reason, now)) return false;
        engine.store().findOperation(c, operationId).ifPresent(o -> engine.telemetry().operationEnded(o.definition(), status.name()));
        engine.store().endOpenAttempts(c, operationId, attemptStatus(status), reason, now);
        for (UUID child : engine.flow().runningChildren(c, operationId)) {
            end(c, child, OperationStatus.CANCELLED, "its parent operation " + operationId + " ended " + status, now, false, after);
        }
        if (wakeParent) {
            UUID parent = engine.store().findOperation(c, operationId).map(Rows.Operation::parentId).orElse(null);
            waits.wakeParent(c, parent, now).ifPresent(after::add);
        }
        return true;
    }

    private static AttemptStatus attemptStatus(OperationStatus status) {
        return switch (status) {
            case EXPIRED -> AttemptStatus.EXPIRED;
            case FAILED -> AttemptStatus.FAILED;
            case CANCELLED -> AttemptStatus.CANCELLED;
            default -> throw new IllegalArgumentException("an operation cannot be ended as " + status);
        };
    }
}

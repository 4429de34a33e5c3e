package io.durableops.core.admin;

import io.durableops.core.OperationStatus;
import java.util.EnumSet;
import java.util.Set;

/** An action on a whole filtered set of operations, and the statuses it applies to. */
public enum BulkAction {
    /** Resumes failed, expired, cancelled and paused operations at the step where they stopped. */
    RETRY(EnumSet.of(OperationStatus.FAILED, OperationStatus.EXPIRED, OperationStatus.CANCELLED, OperationStatus.PAUSED)),
    /** Expires running operations: their scheduled or running step never runs. */
    EXPIRE(EnumSet.of(OperationStatus.RUNNING)),
    /** Cancels running and paused operations. */
    CANCEL(EnumSet.of(OperationStatus.RUNNING, OperationStatus.PAUSED)),
    /** Fails running and paused operations, with the operator's reason. */
    FAIL(EnumSet.of(OperationStatus.RUNNING, OperationStatus.PAUSED)),
    /** Sends a signal to running and paused operations. */
    SIGNAL(EnumSet.of(OperationStatus.RUNNING, OperationStatus.PAUSED));

    private final Set<OperationStatus> appliesTo;

    BulkAction(Set<OperationStatus> appliesTo) {
        this.appliesTo = Set.copyOf(appliesTo);
    }

    /** The statuses of the operations this action changes. */
    public Set<OperationStatus> appliesTo() {
        return appliesTo;
    }
}

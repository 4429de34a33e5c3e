package io.durableops.core.admin;

import java.util.Objects;
import java.util.UUID;

/**
 * What a bulk action did: {@code changed} operations were acted on; {@code skipped} matched when the action began
 * but had changed state by the time their turn came (another operator, or the engine, got there first). {@code runId}
 * is the run's id, recorded with the audit entry of every operation it changed: {@link OperationQuery.Builder#bulkRun}
 * lists them.
 *
 * <p>Two results are equal when they tell the same action and counts: the run id is not compared, so
 * {@code new BulkResult(BulkAction.RETRY, 7, 0)} can stand for the expected outcome of any run.
 */
public record BulkResult(BulkAction action, long changed, long skipped, UUID runId) {
    /** A result without a run id: the expected outcome, for comparisons. */
    public BulkResult(BulkAction action, long changed, long skipped) {
        this(action, changed, skipped, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkResult r && action == r.action && changed == r.changed && skipped == r.skipped;
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, changed, skipped);
    }
}

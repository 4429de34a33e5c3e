package io.durableops.core;

/**
 * Where an operation stands. {@link #RUNNING} and {@link #PAUSED} are not finished; the others are terminal until an
 * operator retries the operation.
 */
public enum OperationStatus {
    /** A step is scheduled or running. */
    RUNNING,
    /** A result step ran; results are available. */
    COMPLETED,
    /** A step failed past its retries, a flow failed on purpose, or an operator failed it; see the reason. */
    FAILED,
    /** Expired by an operator or its deadline; nothing more runs. */
    EXPIRED,
    /** Cancelled; nothing more runs. */
    CANCELLED,
    /**
     * Stopped because no running node has what it needs: its definition, its version's step (a deploy renamed or removed
     * it). The reason names the definition, both versions, the missing step and the known ones; nothing runs and
     * signals are kept until an operator moves it to a step, retries it, or ends it (see docs/upgrading.md).
     */
    PAUSED;

    /** Whether the operation is finished: COMPLETED, FAILED, EXPIRED or CANCELLED (not RUNNING, not PAUSED). */
    public boolean isTerminal() {
        return this != RUNNING && this != PAUSED;
    }
}

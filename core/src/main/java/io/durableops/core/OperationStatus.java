package io.durableops.core;

/** Where an operation stands. Every status but {@link #RUNNING} is terminal until an operator retries it. */
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
    CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}

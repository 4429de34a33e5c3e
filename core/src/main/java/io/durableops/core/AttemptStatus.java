package io.durableops.core;

/** The state of one attempt (one scheduled execution of a step). */
public enum AttemptStatus {
    SCHEDULED, RUNNING, SUCCEEDED, FAILED, EXPIRED, CANCELLED
}

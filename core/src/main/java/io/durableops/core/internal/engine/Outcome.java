package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.OperationStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the flow goes after a step: a next step and when (an instant the step named, or a delay counted from the
 * moment the step's completion is recorded), or an end with a status, results or a reason.
 */
record Outcome(String next, Instant nextAt, Duration delay, OperationStatus status, ObjectNode results, String reason, Park park) {
    /**
     * A wait step whose condition does not hold yet stays where it is until {@code until} (dispatched then if
     * {@code dispatch}; otherwise only a wake-up moves it), possibly starting the child it waits for.
     */
    record Park(Instant until, boolean dispatch, NewOperation child) {
    }

    static Outcome next(String step, Instant at, Duration delay) {
        return new Outcome(step, at, delay, OperationStatus.RUNNING, null, null, null);
    }

    static Outcome end(OperationStatus status, ObjectNode results, String reason) {
        return new Outcome(null, null, null, status, results, reason, null);
    }

    static Outcome park(Instant until, boolean dispatch, NewOperation child) {
        return new Outcome(null, null, null, OperationStatus.RUNNING, null, null, new Park(until, dispatch, child));
    }

    Instant runAt(Instant completedAt) {
        Instant at = nextAt != null ? nextAt : completedAt.plus(delay);
        return at.isBefore(completedAt) ? completedAt : at;
    }
}

package io.durableops.core.admin;

import io.durableops.core.OperationStatus;

/**
 * How many operations of {@code definition} at {@code version} are in {@code status} with {@code step} as their current
 * step (for a COMPLETED or FAILED operation: the step it ended at). From {@link OperationAdmin#stepCounts()}.
 */
public record StepCount(String definition, int version, String step, OperationStatus status, long count) {
}

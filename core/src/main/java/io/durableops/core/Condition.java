package io.durableops.core;

/** The test of a decision step. */
@FunctionalInterface
public interface Condition {
    boolean test(StepContext context) throws Exception;
}

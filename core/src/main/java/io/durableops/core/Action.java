package io.durableops.core;

/** The code of an action step. It may throw anything; the step's retry policy decides what happens next. */
@FunctionalInterface
public interface Action {
    void run(StepContext context) throws Exception;
}

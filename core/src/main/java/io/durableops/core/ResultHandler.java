package io.durableops.core;

/** The code of a result step: copies what matters from the globals into the results. */
@FunctionalInterface
public interface ResultHandler {
    void write(StepContext context, Results results) throws Exception;
}

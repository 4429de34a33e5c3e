package io.durableops.core;

import java.util.Map;

/** Computes the input of the child operation a {@link Flow#call} step starts, from the parent's context. */
@FunctionalInterface
public interface ChildInput {
    Map<String, ?> input(StepContext context) throws Exception;
}

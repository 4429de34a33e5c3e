package io.durableops.core.internal.engine;

/** Thrown by {@code StepContext.failWith} and by flow mistakes: ends the operation as FAILED without retries. */
final class FailWith extends RuntimeException {
    FailWith(String reason) {
        super(reason, null, false, false);
    }
}

package io.durableops.core;

import java.time.Duration;

/** Recorded on an attempt whose step did not finish within its {@link StepOptions#timeout(Duration)}. */
public final class StepTimeoutException extends DurableOpsException {
    public StepTimeoutException(String step, Duration timeout) {
        super("step '" + step + "' did not finish within " + timeout + "; it was interrupted and its outcome will be discarded");
    }
}

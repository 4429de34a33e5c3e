package io.durableops.core;

import java.time.Duration;

/** {@link OperationScheduler#await} waited its whole timeout and the operation had not ended; it runs on. */
public final class AwaitTimeoutException extends DurableOpsException {
    public AwaitTimeoutException(OperationId id, Duration timeout, OperationStatus status) {
        super("operation " + id + " had not ended after " + timeout + " (it is " + status + "); it runs on, await it again or look it up later");
    }
}

package io.durableops.core;

/** An operator action does not apply to the operation's current state (for example retrying a completed one). */
public final class IllegalOperationStateException extends DurableOpsException {
    public IllegalOperationStateException(String message) {
        super(message);
    }
}

package io.durableops.core;

/**
 * The root of every exception Durable Ops throws. Unchecked; catch a subclass to react to one specific
 * problem, or this class to handle them all.
 */
public class DurableOpsException extends RuntimeException {
    public DurableOpsException(String message) {
        super(message);
    }

    public DurableOpsException(String message, Throwable cause) {
        super(message, cause);
    }
}

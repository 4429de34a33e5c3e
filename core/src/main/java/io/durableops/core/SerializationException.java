package io.durableops.core;

/**
 * A value could not be turned into JSON (on enqueue or when a step sets a global), or stored JSON could
 * not be read back as the requested type.
 */
public final class SerializationException extends DurableOpsException {
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}

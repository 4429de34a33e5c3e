package io.durableops.core;

/** Durable Ops was configured with a missing or nonsensical setting; the message says what to change. */
public final class ConfigurationException extends DurableOpsException {
    public ConfigurationException(String message) {
        super(message);
    }
}

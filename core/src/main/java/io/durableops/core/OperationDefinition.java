package io.durableops.core;

/**
 * A named flow of steps, written in plain Java. The name is stored with every operation and must stay stable:
 * renaming the class is fine, renaming {@link #name()} strands the operations in flight.
 */
public interface OperationDefinition {
    /** The stable name, for example {@code "subscription-fulfillment"}. */
    String name();

    /** Bump when the flow changes in a way running operations should know about; stored with each operation. */
    default int version() {
        return 1;
    }

    /** Declares the flow's steps. Called once, when the definition is registered. */
    void define(Flow flow);
}

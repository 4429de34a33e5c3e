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

    /**
     * A definition written inline, without a class of its own:
     * {@code OperationDefinition.of("render-document", flow -> flow.action(...).result("done"))}.
     */
    static OperationDefinition of(String name, java.util.function.Consumer<Flow> steps) {
        return of(name, 1, steps);
    }

    /** As {@link #of(String, java.util.function.Consumer)}, with a {@link #version()}. */
    static OperationDefinition of(String name, int version, java.util.function.Consumer<Flow> steps) {
        java.util.Objects.requireNonNull(steps, "steps");
        return new OperationDefinition() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int version() {
                return version;
            }

            @Override
            public void define(Flow flow) {
                steps.accept(flow);
            }

            @Override
            public String toString() {
                return "OperationDefinition[" + name + " v" + version + "]";
            }
        };
    }
}

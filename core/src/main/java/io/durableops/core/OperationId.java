package io.durableops.core;

import java.util.Objects;
import java.util.UUID;

/** The identity of one operation. */
public record OperationId(UUID value) {
    public OperationId {
        Objects.requireNonNull(value, "value");
    }

    public static OperationId of(UUID value) {
        return new OperationId(value);
    }

    /** Parses the textual form; throws {@link IllegalArgumentException} with the offending text otherwise. */
    public static OperationId parse(String text) {
        try {
            return new OperationId(UUID.fromString(text.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an operation id: '" + text + "'", e);
        }
    }

    public static OperationId random() {
        return new OperationId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}

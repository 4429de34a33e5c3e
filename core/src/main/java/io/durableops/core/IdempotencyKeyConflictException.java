package io.durableops.core;

/**
 * An operation was enqueued with an idempotency key that an existing operation of the same definition already uses,
 * but with different input. Reusing a key for other input is a bug in the caller: nothing was stored.
 */
public final class IdempotencyKeyConflictException extends DurableOpsException {
    private final OperationId existing;

    public IdempotencyKeyConflictException(String definition, String key, OperationId existing) {
        super("idempotency key '" + key + "' of '" + definition + "' is already used by operation " + existing
                + " with different input; nothing was stored");
        this.existing = existing;
    }

    /** The operation that holds the key. */
    public OperationId existing() {
        return existing;
    }
}

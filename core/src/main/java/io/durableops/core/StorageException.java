package io.durableops.core;

/** The database could not be read or written. The operation is unchanged; the call may be retried. */
public final class StorageException extends DurableOpsException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

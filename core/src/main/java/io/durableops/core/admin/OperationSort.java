package io.durableops.core.admin;

/**
 * The order of the operations list: by creation or last update time, newest or oldest first; ties are ordered by id in
 * the same direction. Every order pages by keyset (see {@link OperationPage}).
 */
public enum OperationSort {
    /** Newest first: the default. */
    CREATED_DESC,
    /** Oldest first. */
    CREATED_ASC,
    /** Most recently changed first. An operation that changes while you page moves to the front and may be seen again. */
    UPDATED_DESC,
    /** Least recently changed first. An operation that changes while you page moves to the end and may be seen again. */
    UPDATED_ASC;

    /** Whether it orders by the update time (else by the creation time). */
    public boolean byUpdate() {
        return this == UPDATED_DESC || this == UPDATED_ASC;
    }

    /** Whether newest come first. */
    public boolean descending() {
        return this == CREATED_DESC || this == UPDATED_DESC;
    }
}

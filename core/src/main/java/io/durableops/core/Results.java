package io.durableops.core;

/** What a result step writes: the values {@link OperationScheduler#get} returns once the operation completed. */
public interface Results {
    /** Stores {@code value} (anything Jackson can write) under {@code key}. */
    Results put(String key, Object value);
}

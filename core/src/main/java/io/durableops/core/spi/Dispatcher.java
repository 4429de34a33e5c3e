package io.durableops.core.spi;

import java.util.List;

/**
 * Hands committed attempts to something that runs them, such as JobRunr. Called only after the attempts are
 * committed. A dispatcher that throws leaves the attempts to the relay, which offers them again later.
 */
public interface Dispatcher extends AutoCloseable {
    /** Arranges for each request to be run at its {@code runAt} by {@link AttemptRunner#run}. Idempotent per request. */
    void dispatch(List<DispatchRequest> requests);

    /** Stops background work; called by {@code DurableOps.close()}. */
    @Override
    default void close() {
    }
}

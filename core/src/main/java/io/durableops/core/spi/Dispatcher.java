package io.durableops.core.spi;

import java.util.List;

/**
 * Hands committed attempts to something that runs them, such as JobRunr. Called only after the attempts are
 * committed. A dispatcher that throws leaves the attempts to the relay, which offers them again later.
 */
public interface Dispatcher extends AutoCloseable {
    /** Arranges for each request to be run at its {@code runAt} by {@link AttemptRunner#run}. Idempotent per request. */
    void dispatch(List<DispatchRequest> requests);

    /**
     * Performs work staged by steps whose completion committed (see {@link io.durableops.core.StagedWork}). Called
     * at least once per item; must ignore an item whose id it has seen. A dispatcher that does not know a kind throws.
     */
    default void dispatchStaged(List<io.durableops.core.StagedWork> work) {
        if (!work.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot perform staged work of kind '" + work.get(0).kind() + "'");
        }
    }

    /**
     * Whether attempts dispatched here can run on this node's own workers: false on a node that only enqueues (for
     * JobRunr, one without a background job server). The fast path keeps new operations for this node's workers only
     * where they can run; elsewhere every one is dispatched at once.
     */
    default boolean runsAttemptsHere() {
        return true;
    }

    /** Stops background work; called by {@code DurableOps.close()}. */
    @Override
    default void close() {
    }
}

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

    /**
     * Runs these requests on this node's own workers, not on whichever node takes them: attempts of steps that only some
     * nodes of a cluster have (during a rolling deploy). The default dispatches them as usual, right for a dispatcher
     * whose workers are all on this node.
     */
    default void dispatchHere(List<DispatchRequest> requests) {
        dispatch(requests);
    }

    /**
     * Whether the job system behind this dispatcher is stopping its workers now (for JobRunr, its background job server
     * is stopping): a step interrupted then is handed back uncounted, not recorded as failed.
     */
    default boolean isStopping() {
        return false;
    }

    /** Stops background work; called by {@code DurableOps.close()}. */
    @Override
    default void close() {
    }
}

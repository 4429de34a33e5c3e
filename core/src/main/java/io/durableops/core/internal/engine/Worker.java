package io.durableops.core.internal.engine;

import io.durableops.core.internal.store.Tx;

/**
 * What a worker on the fast path keeps between steps: one connection, bound to its thread at the first completion
 * that claims its successor ({@link Tx#hold}), so each further step costs its statements and a commit, without the
 * pool and without the driver parsing the same SQL again; every other statement of the thread uses it too. When
 * {@link Tx} has no hold left, the worker goes through the pool like any other.
 */
final class Worker implements AutoCloseable {
    private final Engine engine;
    private Tx.Hold hold;

    Worker(Engine engine) {
        this.engine = engine;
    }

    /** Whether this worker holds a connection: it is on the fast path. */
    boolean holds() {
        return hold != null;
    }

    <T> T record(String what, Tx.Work<T> work) {
        if (hold == null) hold = engine.tx().hold();
        return engine.tx().run(what, work);
    }

    <T> T recordAlone(String what, Tx.Work<T> work) {
        if (hold == null) hold = engine.tx().hold();
        return engine.tx().auto(what, work);
    }

    @Override
    public void close() {
        if (hold == null) return;
        hold.close();
        hold = null;
    }
}


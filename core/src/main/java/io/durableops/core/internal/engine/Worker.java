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
    private final Admission admission;
    private final Admission.Turn turn = new Admission.Turn();
    private Tx.Hold hold;

    Worker(Engine engine, Admission admission) {
        this.engine = engine;
        this.admission = admission;
    }

    /** Whether {@code l} may run now under its limits; if not, it has been queued. The places taken are this turn's. */
    boolean admit(Loaded l, io.durableops.core.internal.flow.CompiledDefinition definition, io.durableops.core.internal.flow.StepDef step) {
        return admission.admit(turn, l, definition, step);
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
        admission.close(turn); // why first: the places go back before the connection, which the next turn may want
        if (hold == null) return;
        hold.close();
        hold = null;
    }
}


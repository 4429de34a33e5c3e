package io.durableops.core.internal.engine;

import io.durableops.core.internal.store.Tx;

/**
 * The worker running steps on one thread: it picks the shape in which each step's completion is recorded
 * ({@link #record}), and on the fast path keeps what a turn needs between steps: its places under limits, and one
 * connection, bound to its thread at the first completion
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

    /**
     * Records a completion in the shape it needs, and is the one place that picks it: alone, one auto-committed statement
     * on the held connection ({@link Completion#isAlone}); one auto-committed statement through the pool or the held
     * connection ({@link Completion#isSingleStatement}); else one transaction, on the held connection when the
     * completion may claim its successor ({@code claimNext}) or a turn already holds one, through the pool otherwise.
     * (A transactional step's completion commits with its code's writes: {@code StepRunner} runs both in one pooled
     * transaction.) Null if the operation moved on meanwhile.
     */
    Completion record(Completion completion, boolean claimNext, String what) {
        if (completion.isAlone()) {
            hold();
            return engine.tx().auto(what, c -> completion.recordAlone(c) ? completion : null);
        }
        if (completion.isSingleStatement()) return engine.tx().auto(what, c -> completion.record(c) ? completion : null);
        Tx.Work<Completion> work = c -> {
            if (!completion.record(c)) throw new Tx.Rollback();
            return completion;
        };
        if (claimNext || hold != null) hold();
        return engine.tx().run(what, work);
    }

    private void hold() {
        if (hold == null) hold = engine.tx().hold();
    }

    @Override
    public void close() {
        admission.close(turn); // why first: the places go back before the connection, which the next turn may want
        if (hold == null) return;
        hold.close();
        hold = null;
    }
}


package io.durableops.core.internal.engine;

import io.durableops.core.internal.Daemons;
import io.durableops.core.internal.store.Rows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The fast path for new operations: the first step of an operation enqueued on this node, due now, while enough
 * workers of this node are already running steps (turns), waits here for one of them instead of going to the
 * dispatcher. With JobRunr that saves a job per operation (saved, fetched, started and finished, each a write of the
 * job's JSON).
 *
 * <p>Enough means {@code turnsWanted}, counting the dispatches that are about to start a turn: below that, a new
 * operation is dispatched, so that it starts a turn of its own. why: new operations otherwise all queue for whichever
 * turns happened to start first, one or eight, and a node's throughput and latency depended on that accident. A
 * dispatch counts as about to start a turn until a turn begins on this node or {@link #STALL_MS} ms pass (the
 * dispatcher may have given it to another node). While no turn runs here (the moments before the first turn begins)
 * every new operation enqueued alone is dispatched, as nothing here would take it; the turns beyond the wanted number
 * that this starts end at their first take, like those a stall starts. A node whose dispatcher runs nothing here (it
 * only enqueues) keeps nothing at all.
 *
 * <p>Nothing is lost: the operation and its attempt are committed before they get here, and an attempt nobody claims
 * is offered again by the relay after its grace. Nothing waits long either: whatever is still here when the last turn
 * on this node ends goes to the dispatcher, which may give it to another node; when no worker has taken anything for
 * {@link #STALL_MS} ms (every worker is busy with long steps), as many entries as turns are wanted go, to start turns
 * that take the rest, and as many again after each further {@link #STALL_MS} ms. A worker whose turn has used up its fast path's
 * time hands the entry it would have taken to the dispatcher and returns to it, so other jobs get their turn.
 * An entry is owned by whoever polls it from the queue, so each goes exactly one way. All of the hand-off's state is
 * read and changed under its one lock, so every decision sees the queue and the turns as they are; what is sent to the
 * dispatcher is taken from the queue under the lock and sent after it is released. At most {@link #MOST_WAITING}
 * entries wait at once; new operations beyond that go to the dispatcher. An entry that has waited {@code longestWait}
 * (half the relay's grace) goes to the dispatcher at the next take or check: turns that fall behind would otherwise
 * hold operations other nodes could run, until the relay offered them again.
 *
 * <p>A batch ({@code enqueueAll}) is offered at once: it dispatches as many operations as turns are missing, and the
 * rest wait for those turns even while none runs here yet. Should none of them begin here within
 * {@link #TURN_START_GRACE_MS} ms, everything waiting goes to the dispatcher.
 *
 * <p>A worker that finds nothing to take waits up to {@code linger} for a new entry before its turn ends. why: when
 * operations arrive about as fast as the turns finish them, the queue is empty for a moment after nearly every
 * operation; a turn that ended then was started again by the next enqueue, through the dispatcher (with JobRunr a job
 * written, fetched and finished). With 8 turns on 2 cores the benchmark then sent every operation through JobRunr and
 * ran at half the speed; waiting 10 ms kept the turns, and the hand-off, alive.
 */
final class HandOff implements AutoCloseable {
    /** How long entries may wait while no worker takes any, before some go to the dispatcher. */
    static final long STALL_MS = 50;
    /**
     * The most entries kept at once; beyond, new operations go to the dispatcher. why: a large batch would otherwise sit
     * in this node's memory, for its few turns, while the dispatcher could spread it over every node.
     */
    static final int MOST_WAITING = 1024;
    /**
     * How long a batch's operations wait for the turns it dispatched to begin on this node, while none runs here,
     * before they go to the dispatcher. why not {@link #STALL_MS}: a JobRunr server just started, or busy, took longer
     * than that to begin its first job in the benchmark, and the whole batch then went through JobRunr.
     */
    static final long TURN_START_GRACE_MS = 1000;
    private static final int MOST_EXTRA_TURNS = 256;

    /** A new operation's first attempt, with what its enqueue already decoded, and when it began to wait. */
    record Entry(NewOperation operation, Instant offeredAt) {
        Rows.Pending pending() {
            return operation.pending();
        }
    }

    private final Engine engine;
    private final Consumer<List<Rows.Pending>> dispatcher;
    /** Whether what the dispatcher runs can run on this node: not on a node that only enqueues. */
    private final BooleanSupplier runsHere;
    private final int turnsWanted;
    private final Duration linger;
    /** How long an entry may wait at most, however busy the turns; older ones go to the dispatcher. */
    private final Duration longestWait;
    private final Daemons.Lazy timer = new Daemons.Lazy("durable-ops-hand-off");

    /** Guards every field below; {@link #offered} wakes workers waiting for an entry, on every offer and on close. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition offered = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int turns;
    /** Dispatches of new operations made to start a turn, which has not begun on this node yet. */
    private int starting;
    private Instant lastStart = Instant.MIN;
    /**
     * Turns started beyond the wanted number (by a stall, or while no turn ran), which end at their next take while more
     * turns than wanted run; capped, as on a node that only enqueues nothing ever takes.
     */
    private int extraTurns;
    private boolean stallCheckQueued;
    private Instant lastTake = Instant.MIN;
    private boolean closed;

    /**
     * {@code dispatcher} sends what is not run here (the dispatcher proper, never back to this hand-off), and
     * {@code runsHere} says whether it can run attempts on this node at all;
     * {@code turnsWanted} turns run (or are about to start) before new operations wait for one of them; a worker with
     * nothing to take waits up to {@code linger} for a new one; one that has waited {@code longestWait} goes to the
     * dispatcher.
     */
    HandOff(Engine engine, Consumer<List<Rows.Pending>> dispatcher, BooleanSupplier runsHere, int turnsWanted, Duration linger,
            Duration longestWait) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.runsHere = runsHere;
        this.turnsWanted = turnsWanted;
        this.linger = linger;
        this.longestWait = longestWait;
    }

    /**
     * Keeps the first attempts of new operations for workers of this node, where the definition is on the fast path,
     * the attempt is due now, enough turns run and fewer than {@link #MOST_WAITING} wait already; returns the rest, in
     * order, for the caller to dispatch. A batch ({@code enqueueAll}) that dispatches one to start a turn keeps the rest
     * for the turns it starts even while no turn runs here yet; should none begin here within
     * {@link #TURN_START_GRACE_MS} ms, they go to the dispatcher.
     */
    List<NewOperation> offer(List<NewOperation> operations) {
        if (!runsHere.getAsBoolean()) return operations; // why: no worker here would ever take them
        Instant now = engine.now();
        List<NewOperation> rest = new ArrayList<>();
        lock.lock();
        try {
            if (closed) return operations;
            boolean startedATurn = false;
            boolean kept = false;
            for (NewOperation operation : operations) {
                if (!engine.fastPathOf(operation.definition()).isOn() || operation.attempt().scheduledAt().isAfter(now)
                        || queue.size() >= MOST_WAITING) {
                    rest.add(operation);
                } else if (startsATurn(now, startedATurn)) {
                    rest.add(operation);
                    startedATurn = true;
                } else {
                    queue.add(new Entry(operation, now));
                    kept = true;
                }
            }
            if (!kept) return rest;
            offered.signalAll();
        } finally {
            lock.unlock();
        }
        queueStallCheck();
        return rest;
    }

    /**
     * Whether a new operation is to be dispatched to start a turn: because fewer than wanted run or are starting, or
     * because none runs here to take it (unless {@code oneIsComing}: the same batch dispatched one). Under the lock.
     */
    private boolean startsATurn(Instant now, boolean oneIsComing) {
        if (lastStart.isBefore(now.minusMillis(STALL_MS))) starting = 0; // those went elsewhere, or never began
        if (turns + starting < turnsWanted) {
            starting++;
            lastStart = now;
            return true;
        }
        if (turns > 0 || oneIsComing) return false;
        addExtraTurns(1);
        return true;
    }

    /** Under the lock. */
    private void addExtraTurns(int count) {
        extraTurns = Math.min(MOST_EXTRA_TURNS, extraTurns + count); // why the cap: every take calls it
    }

    /** A worker starts running steps; until it ends, new operations may be handed to it. */
    void beginTurn() {
        lock.lock();
        try {
            if (starting > 0) starting--;
            turns++;
        } finally {
            lock.unlock();
        }
    }

    /** A worker stops running steps; the last one sends whatever is left to the dispatcher. */
    void endTurn() {
        List<Rows.Pending> left = List.of();
        lock.lock();
        try {
            if (--turns == 0) left = drain(Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
        send(left);
    }

    /**
     * The oldest entry, now owned by the caller, waiting up to the linger for one if there is none and
     * {@code mayWait}; null if none came, or if more turns than wanted run and some were started beyond the wanted
     * number (a stall, see {@link #checkStall}, or new operations while no turn ran): then the caller's turn ends at
     * once, one for each such turn, so that they do not outlast what made them. Turns that run for other reasons
     * (JobRunr jobs of other steps) take entries as before. {@code mayWait}: the caller is on a fast-path turn with
     * time left; a worker that ran a step of a definition off the fast path must not wait, as that would hold every
     * such job's worker for the linger.
     */
    Entry take(boolean mayWait) {
        Instant now = engine.now();
        List<Rows.Pending> tooOld;
        Entry entry;
        lock.lock();
        try {
            if (turns > turnsWanted && extraTurns > 0) {
                extraTurns--;
                return null;
            }
            tooOld = drainOfferedBy(now.minus(longestWait));
            addExtraTurns(tooOld.size());
            entry = queue.poll();
            if (entry != null) lastTake = now;
        } finally {
            lock.unlock();
        }
        send(tooOld);
        return entry == null && mayWait ? awaitEntry() : entry;
    }

    /**
     * Waits up to the linger for an entry; null if none came, or on close or interrupt. why the JVM's time and not the
     * engine's clock: this is a wait for other threads, not a time stamped anywhere, and tests that set the clock
     * would otherwise wait for ever.
     */
    private Entry awaitEntry() {
        long left = linger.toNanos();
        if (left <= 0) return null;
        lock.lock();
        try {
            Entry entry;
            while ((entry = queue.poll()) == null && !closed && left > 0) left = offered.awaitNanos(left);
            if (entry != null) lastTake = engine.now();
            return entry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // why: JobRunr stopping its worker; the turn ends
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Sends an entry the caller owns to the dispatcher after all. */
    void dispatch(Entry entry) {
        dispatcher.accept(List.of(entry.pending()));
    }

    /** Takes up to {@code most} of the oldest entries off the queue, for the caller to send. Under the lock. */
    private List<Rows.Pending> drain(int most) {
        List<Rows.Pending> pending = new ArrayList<>();
        for (Entry entry; pending.size() < most && (entry = queue.poll()) != null; ) pending.add(entry.pending());
        return pending;
    }

    /** Takes the entries offered at or before {@code cutoff} off the queue, for the caller to send. Under the lock. */
    private List<Rows.Pending> drainOfferedBy(Instant cutoff) {
        List<Rows.Pending> pending = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().offeredAt().isAfter(cutoff)) pending.add(queue.poll().pending());
        return pending;
    }

    /** Sends entries taken off the queue to the dispatcher; outside the lock, as the dispatcher writes and blocks. */
    private void send(List<Rows.Pending> pending) {
        if (!pending.isEmpty()) dispatcher.accept(pending);
    }

    private void queueStallCheck() {
        lock.lock();
        try {
            if (stallCheckQueued) return;
            stallCheckQueued = true;
        } finally {
            lock.unlock();
        }
        try {
            timer.get().schedule(this::checkStall, STALL_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            List<Rows.Pending> left;
            lock.lock();
            try {
                stallCheckQueued = false;
                left = drain(Integer.MAX_VALUE);
            } finally {
                lock.unlock();
            }
            send(left);
        }
    }

    private void checkStall() {
        // why the engine's clock: the wait is a duration of the engine's time, which tests set; the timer only looks
        Instant now = engine.now();
        List<Rows.Pending> sent = new ArrayList<>();
        boolean more;
        lock.lock();
        try {
            stallCheckQueued = false;
            // why: turns that fall behind would otherwise hold operations that other nodes could run, until the relay's
            // grace ended and it offered them again; dispatched, they start turns of their own, which end at their next take
            List<Rows.Pending> tooOld = drainOfferedBy(now.minus(longestWait));
            addExtraTurns(tooOld.size());
            sent.addAll(tooOld);
            Entry oldest = queue.peek();
            Instant stalledSince = now.minusMillis(STALL_MS);
            if (oldest == null) {
                // nothing waits
            } else if (turns == 0) {
                // a batch's entries, whose turns have not begun here: after the grace, nothing here would take them
                if (!oldest.offeredAt().isAfter(now.minusMillis(TURN_START_GRACE_MS))) sent.addAll(drain(Integer.MAX_VALUE));
            } else if (!oldest.offeredAt().isAfter(stalledSince) && !lastTake.isAfter(stalledSince)) {
                // why not all of them: the turns may only have paused (a collection, a slow commit); the ones sent start
                // turns of their own, which take the rest, and the next ones wait another STALL_MS. Sending the whole
                // backlog made every JobRunr worker a turn after one pause.
                List<Rows.Pending> some = drain(turnsWanted);
                addExtraTurns(some.size());
                sent.addAll(some);
                lastTake = now;
            }
            more = !queue.isEmpty();
        } finally {
            lock.unlock();
        }
        send(sent);
        if (more) queueStallCheck();
    }

    /** Takes no more entries and sends what is waiting to the dispatcher. */
    @Override
    public void close() {
        List<Rows.Pending> left;
        lock.lock();
        try {
            closed = true;
            offered.signalAll();
            left = drain(Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
        send(left);
    }
}

package io.durableops.core.internal.engine;

import io.durableops.core.internal.Daemons;
import io.durableops.core.internal.store.Rows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * An entry is owned by whoever polls it from the queue, so each goes exactly one way. At most {@link #MOST_WAITING}
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
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    /** How many entries the queue holds (its own size() walks it). */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger turns = new AtomicInteger();
    /** Dispatches of new operations made to start a turn, which has not begun on this node yet. */
    private final AtomicInteger starting = new AtomicInteger();
    private volatile Instant lastStart = Instant.MIN;
    /**
     * Turns started beyond the wanted number (by a stall, or while no turn ran), which end at their next take while more
     * turns than wanted run; capped, as on a node that only enqueues nothing ever takes.
     */
    private final AtomicInteger extraTurns = new AtomicInteger();
    private static final int MOST_EXTRA_TURNS = 256;
    private final AtomicBoolean stallCheckQueued = new AtomicBoolean();
    private volatile Instant lastTake = Instant.MIN;
    private final Daemons.Lazy timer = new Daemons.Lazy("durable-ops-hand-off");
    private volatile boolean closed;
    private final Duration linger;
    /** How long an entry may wait at most, however busy the turns; older ones go to the dispatcher. */
    private final Duration longestWait;
    /** Wakes workers waiting for an entry ({@link #awaitEntry}): signalled on every offer and on close. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition offered = lock.newCondition();

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
        if (closed || !runsHere.getAsBoolean()) return operations; // why: no worker here would ever take them
        Instant now = engine.now();
        List<NewOperation> rest = new ArrayList<>();
        boolean startedATurn = false;
        boolean kept = false;
        for (NewOperation operation : operations) {
            if (!engine.fastPathOf(operation.definition()).isOn() || operation.attempt().scheduledAt().isAfter(now)
                    || waiting.get() >= MOST_WAITING) {
                rest.add(operation);
            } else if (startsATurn(now, startedATurn)) {
                rest.add(operation);
                startedATurn = true;
            } else {
                add(new Entry(operation, now));
                kept = true;
            }
        }
        if (!kept) return rest;
        wakeWaiting();
        // why again: the last turn may have ended, and found the queue empty, between the checks above and the add;
        // unless this batch just dispatched turns of its own, which the stall check waits for
        if (turns.get() == 0 && !startedATurn) flush();
        else queueStallCheck();
        return rest;
    }

    /**
     * Whether a new operation is to be dispatched to start a turn: because fewer than wanted run or are starting, or
     * because none runs here to take it (unless {@code oneIsComing}: the same batch dispatched one).
     */
    private boolean startsATurn(Instant now, boolean oneIsComing) {
        if (lastStart.isBefore(now.minusMillis(STALL_MS))) starting.set(0); // those went elsewhere, or never began
        for (int already = starting.get(); turns.get() + already < turnsWanted; already = starting.get()) {
            if (starting.compareAndSet(already, already + 1)) {
                lastStart = now;
                return true;
            }
        }
        if (turns.get() > 0 || oneIsComing) return false;
        addExtraTurns(1);
        return true;
    }

    private void addExtraTurns(int count) {
        if (count > 0) extraTurns.getAndUpdate(n -> Math.min(MOST_EXTRA_TURNS, n + count)); // why the check: every take calls it
    }

    /** A worker starts running steps; until it ends, new operations may be handed to it. */
    void beginTurn() {
        starting.getAndUpdate(n -> n > 0 ? n - 1 : 0);
        turns.incrementAndGet();
    }

    /** A worker stops running steps; the last one sends whatever is left to the dispatcher. */
    void endTurn() {
        if (turns.decrementAndGet() == 0) flush();
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
        if (turns.get() > turnsWanted && extraTurns.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) return null;
        addExtraTurns(flushOlderThan(engine.now().minus(longestWait)));
        Entry entry = poll();
        if (entry == null && mayWait) entry = awaitEntry();
        if (entry != null) lastTake = engine.now();
        return entry;
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
            while ((entry = poll()) == null && !closed && left > 0) left = offered.awaitNanos(left);
            return entry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // why: JobRunr stopping its worker; the turn ends
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void add(Entry entry) {
        waiting.incrementAndGet();
        queue.add(entry);
    }

    private Entry poll() {
        Entry entry = queue.poll();
        if (entry != null) waiting.decrementAndGet();
        return entry;
    }

    private void wakeWaiting() {
        lock.lock();
        try {
            offered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sends an entry the caller owns to the dispatcher after all. */
    void dispatch(Entry entry) {
        dispatcher.accept(List.of(entry.pending()));
    }

    private void flush() {
        flush(Integer.MAX_VALUE);
    }

    /** Sends up to {@code most} of the oldest entries to the dispatcher; returns how many. */
    private int flush(int most) {
        List<Rows.Pending> pending = new ArrayList<>();
        for (Entry entry; pending.size() < most && (entry = poll()) != null; ) pending.add(entry.pending());
        if (!pending.isEmpty()) dispatcher.accept(pending);
        return pending.size();
    }

    /** Sends the entries offered at or before {@code cutoff} to the dispatcher; returns how many. */
    private int flushOlderThan(Instant cutoff) {
        List<Rows.Pending> pending = new ArrayList<>();
        for (Entry head; (head = queue.peek()) != null && !head.offeredAt().isAfter(cutoff); ) {
            Entry entry = poll(); // why not head: a worker may have taken it meanwhile; the next is owned all the same
            if (entry == null) break;
            pending.add(entry.pending());
        }
        if (!pending.isEmpty()) dispatcher.accept(pending);
        return pending.size();
    }

    private void queueStallCheck() {
        if (!stallCheckQueued.compareAndSet(false, true)) return;
        try {
            timer.get().schedule(this::checkStall, STALL_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            stallCheckQueued.set(false);
            flush();
        }
    }

    private void checkStall() {
        stallCheckQueued.set(false);
        // why the engine's clock: the wait is a duration of the engine's time, which tests set; the timer only looks
        Instant now = engine.now();
        // why: turns that fall behind would otherwise hold operations that other nodes could run, until the relay's
        // grace ended and it offered them again; dispatched, they start turns of their own, which end at their next take
        addExtraTurns(flushOlderThan(now.minus(longestWait)));
        Entry oldest = queue.peek();
        if (oldest == null) return;
        Instant stalledSince = now.minusMillis(STALL_MS);
        if (turns.get() == 0) {
            // a batch's entries, whose turns have not begun here: after the grace, nothing here would take them
            if (!oldest.offeredAt().isAfter(now.minusMillis(TURN_START_GRACE_MS))) flush();
        } else if (!oldest.offeredAt().isAfter(stalledSince) && !lastTake.isAfter(stalledSince)) {
            // why not all of them: the turns may only have paused (a collection, a slow commit); the ones sent start
            // turns of their own, which take the rest, and the next ones wait another STALL_MS. Sending the whole
            // backlog made every JobRunr worker a turn after one pause.
            addExtraTurns(flush(turnsWanted));
            lastTake = now;
        }
        if (!queue.isEmpty()) queueStallCheck();
    }

    /** Takes no more entries and sends what is waiting to the dispatcher. */
    @Override
    public void close() {
        closed = true;
        wakeWaiting();
        timer.shutdownNow();
        flush();
    }
}

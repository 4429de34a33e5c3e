package io.durableops.core.testing;

import io.durableops.core.StagedWork;
import io.durableops.core.spi.AttemptRunner;
import io.durableops.core.spi.DispatchRequest;
import io.durableops.core.spi.Dispatcher;
import io.durableops.core.spi.DispatcherFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A dispatcher without threads: it only remembers what was dispatched, and the test decides when it runs, with
 * {@link #runDue()}. Together with {@link MutableClock} it runs whole operations, delays included, without sleeping.
 */
public final class ManualDispatcher implements DispatcherFactory, Dispatcher {
    private final Clock clock;
    private final List<DispatchRequest> queue = new ArrayList<>();
    private final List<DispatchRequest> history = new ArrayList<>();
    private final List<StagedWork> staged = new ArrayList<>();
    private AttemptRunner runner;
    private boolean failing;

    public ManualDispatcher(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Dispatcher create(String instanceName, AttemptRunner runner) {
        this.runner = runner;
        return this;
    }

    @Override
    public synchronized void dispatch(List<DispatchRequest> requests) {
        if (failing) throw new IllegalStateException("ManualDispatcher is failing dispatches on purpose");
        queue.addAll(requests);
        history.addAll(requests);
    }

    /** Keeps staged work so a test can see what a step staged once its completion committed. */
    @Override
    public synchronized void dispatchStaged(List<StagedWork> work) {
        if (failing) throw new IllegalStateException("ManualDispatcher is failing dispatches on purpose");
        staged.addAll(work);
    }

    /** Every staged item handed over, in order (a relay pass may hand one over again). */
    public synchronized List<StagedWork> staged() {
        return List.copyOf(staged);
    }

    /** Runs every due request, and the ones they lead to, until nothing is due. Returns how many were run. */
    public int runDue() {
        int ran = 0;
        for (Optional<DispatchRequest> next = takeDue(); next.isPresent(); next = takeDue()) {
            runner.run(next.get().attemptId(), next.get().generation());
            ran++;
        }
        return ran;
    }

    /** Requests dispatched but not yet run (due or not). */
    public synchronized List<DispatchRequest> pending() {
        return List.copyOf(queue);
    }

    /** Every request ever dispatched, in order. */
    public synchronized List<DispatchRequest> dispatched() {
        return List.copyOf(history);
    }

    /** Runs a request now even if it is not due yet, as a job system whose clock runs ahead would. */
    public void deliverEarly(DispatchRequest request) {
        synchronized (this) {
            queue.remove(request);
        }
        runner.run(request.attemptId(), request.generation());
    }

    /** Delivers a request again, as a job system that re-runs a job would. */
    public synchronized void redeliver(DispatchRequest request) {
        queue.add(request);
    }

    /** While on, every dispatch throws, as it would while the job system's storage is down. */
    public synchronized void failDispatches(boolean on) {
        this.failing = on;
    }

    /** Forgets pending requests, as a crash of the process that would have run them would. */
    public synchronized void dropPending() {
        queue.clear();
    }

    private synchronized Optional<DispatchRequest> takeDue() {
        Optional<DispatchRequest> due = queue.stream()
                .filter(r -> !r.runAt().isAfter(clock.instant()))
                .min(Comparator.comparing(DispatchRequest::runAt));
        due.ifPresent(queue::remove);
        return due;
    }
}

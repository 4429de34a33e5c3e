package io.durableops.admin.internal;

import io.durableops.core.DurableOpsException;
import io.durableops.core.StorageException;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkListener;
import io.durableops.core.admin.BulkResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The bulk runs of this UI and their progress, in the memory of this node: at most {@value #AT_ONCE} run at once on
 * an executor the UI owns (a third is refused, not queued: its count was confirmed for now, not for later), and the
 * latest {@value #KEPT} are remembered. Stopping the UI ends the runs between two operations and waits a bounded time.
 */
final class BulkRuns {
    private static final Logger LOG = LoggerFactory.getLogger(BulkRuns.class);
    static final int AT_ONCE = 2;
    static final int KEPT = 100;
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger THREADS = new AtomicInteger();

    enum State { RUNNING, DONE, FAILED, STOPPED }

    /** One run: what, on which filter (in words and as the list's query string), by whom, since when, and how far it got. Written by its thread, read by pages. */
    static final class Run {
        final UUID id = UUID.randomUUID();
        final BulkAction action;
        final String filter;
        final String filterQuery;
        final String actor;
        final Instant startedAt;
        private volatile long eligible = -1;
        private volatile long changed;
        private volatile long skipped;
        private volatile State state = State.RUNNING;
        private volatile String error;
        private volatile Instant finishedAt;

        Run(BulkAction action, String filter, String filterQuery, String actor, Instant startedAt) {
            this.action = action;
            this.filter = filter;
            this.filterQuery = filterQuery;
            this.actor = actor;
            this.startedAt = startedAt;
        }

        /** Null until the eligible set is collected. */
        Long eligible() {
            return eligible < 0 ? null : eligible;
        }

        long changed() {
            return changed;
        }

        long skipped() {
            return skipped;
        }

        State state() {
            return state;
        }

        String error() {
            return error;
        }

        Instant finishedAt() {
            return finishedAt;
        }
    }

    /** Thrown by a run's listener once the UI stops: ends the run between two operations. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("the admin UI stopped", null, false, false);
        }
    }

    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final Map<UUID, Run> runs = new LinkedHashMap<>();
    private volatile boolean stopping;

    BulkRuns(Clock clock) {
        this.clock = clock;
        // why a SynchronousQueue: a run is handed to an idle thread or refused, never left waiting behind another
        this.executor = new ThreadPoolExecutor(AT_ONCE, AT_ONCE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "durable-ops-admin-bulk-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts {@code work} (the operator's bulk method, given the run's id and listener) in the background.
     *
     * @throws HttpProblem 503 if {@value #AT_ONCE} runs are going already, or the UI is stopping
     */
    Run start(BulkAction action, String filter, String filterQuery, String actor, BiFunction<UUID, BulkListener, BulkResult> work) {
        if (stopping) throw busy("the admin UI is stopping");
        Run run = new Run(action, filter, filterQuery, actor, clock.instant());
        remember(run);
        try {
            executor.execute(() -> {
                try {
                    execute(run, work);
                } catch (Stopped | HttpProblem e) {
                    LOG.info("bulk run {} stopped with the admin UI", run.id);
                } catch (StorageException e) {
                    // why not its message: it may quote the database
                    LOG.warn("bulk run {} ended: the database could not be read or written ({})", run.id,
                            e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
                } catch (DurableOpsException | IllegalArgumentException e) {
                    LOG.warn("bulk run {} ended: {}", run.id, e.getClass().getSimpleName());
                } catch (RuntimeException | Error e) {
                    LOG.error("bulk run {} ended", run.id, e);
                }
            });
        } catch (RejectedExecutionException e) {
            forget(run);
            throw busy(AT_ONCE + " bulk actions are already running on this node");
        }
        return run;
    }

    /**
     * Runs {@code work} on the caller's thread, tracked like a background run (its progress can be read meanwhile);
     * its result, or the exception it ended with.
     */
    BulkResult runHere(BulkAction action, String filter, String filterQuery, String actor,
                       BiFunction<UUID, BulkListener, BulkResult> work) {
        Run run = new Run(action, filter, filterQuery, actor, clock.instant());
        remember(run);
        return execute(run, work);
    }

    private static HttpProblem busy(String why) {
        return new HttpProblem(503, why + "; wait until one has finished, then confirm again", Duration.ofSeconds(5));
    }

    /** Runs it and records how it ended on the run; an exception is recorded (in words fit for the page), then thrown. */
    private BulkResult execute(Run run, BiFunction<UUID, BulkListener, BulkResult> work) {
        try {
            BulkResult result = work.apply(run.id, (eligible, changed, skipped) -> {
                run.eligible = eligible;
                run.changed = changed;
                run.skipped = skipped;
                if (stopping) throw new Stopped();
            });
            run.changed = result.changed();
            run.skipped = result.skipped();
            finish(run, State.DONE, null);
            return result;
        } catch (Stopped e) {
            String why = "the admin UI stopped before the run ended: the operations changed so far stay changed, "
                    + "the rest were left alone; run the same action again for them";
            finish(run, State.STOPPED, why);
            throw new HttpProblem(503, why);
        } catch (StorageException e) {
            finish(run, State.FAILED, "the database could not be read or written: the operations changed so far stay changed, "
                    + "the rest were left alone; run the same action again for them");
            throw e;
        } catch (DurableOpsException | IllegalArgumentException e) {
            finish(run, State.FAILED, e.getMessage());
            throw e;
        } catch (RuntimeException | Error e) {
            finish(run, State.FAILED, "internal error: " + e.getClass().getSimpleName() + "; see the server's log");
            throw e;
        }
    }

    private void finish(Run run, State state, String error) {
        run.error = error;
        run.finishedAt = clock.instant();
        run.state = state;
    }

    Optional<Run> find(UUID id) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(id));
        }
    }

    private void remember(Run run) {
        synchronized (runs) {
            runs.put(run.id, run);
            var oldest = runs.values().iterator();
            while (runs.size() > KEPT && oldest.hasNext()) {
                if (oldest.next().state != State.RUNNING) oldest.remove();
            }
        }
    }

    private void forget(Run run) {
        synchronized (runs) {
            runs.remove(run.id);
        }
    }

    /** Ends the runs between two operations and waits for them, a bounded time. */
    void stop() {
        stopping = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("bulk runs still going {} s after the admin UI stopped; interrupting them", STOP_WAIT.toSeconds());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

package io.durableops.jobrunr.internal;

import io.durableops.core.spi.AdapterSupport;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.StorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Saves the seconds JobRunr would otherwise add. JobRunr's server looks for enqueued jobs once per poll interval
 * (at least 5 s on SQL) and moves due scheduled jobs to the queue just as rarely. On this node:
 * <ul>
 *   <li>{@link #wake()} fetches enqueued jobs into the local server's free workers at once, the same way the server
 *       does after each finished job (the fetch claims each job in the database, so it is safe beside the poll and
 *       beside other nodes);</li>
 *   <li>{@link #enqueueAt} moves a scheduled job to the queue at its due time with a local timer, then wakes.</li>
 * </ul>
 * Nothing is lost if this node dies: JobRunr's own poll still finds every job.
 */
public final class LocalWakeUp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWakeUp.class);
    private static final int NOT_READY_RETRIES = 120;
    private static final long NOT_READY_DELAY_MS = 250;
    private static final long CATCH_UP_MS = 100;

    private final StorageProvider storage;
    private final BackgroundJobServer server;
    private final Clock clock;
    private final Duration horizon;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private volatile boolean closed;

    public LocalWakeUp(StorageProvider storage, BackgroundJobServer server, Clock clock, Duration horizon) {
        this.storage = storage;
        this.server = server;
        this.clock = clock;
        this.horizon = horizon;
        this.executor = AdapterSupport.daemonScheduler("durable-ops-wakeup");
    }

    /**
     * Asks the local server to fetch enqueued jobs now. Calls made while a fetch is pending are merged into it.
     *
     * <p>Called from one of the server's own workers (a step that dispatched its successor), the fetch is left to
     * that worker: JobRunr fetches new work as soon as a worker finishes its job, which is a moment away. why: a fetch
     * per step was 13% of the CPU of one-job-per-step in the benchmark. Because that fetch can be skipped when another
     * fetch holds JobRunr's lock, a single catch-up fetch follows within {@value #CATCH_UP_MS} ms, however many steps
     * were dispatched meanwhile.
     */
    public void wake() {
        if (closed) return; // why: a closed node wakes nothing; its jobs wait for another node's server or the next start
        if (onServerWorker()) {
            if (catchUpQueued.compareAndSet(false, true)) {
                try {
                    executor.schedule(() -> {
                        catchUpQueued.set(false);
                        wakeNow();
                    }, CATCH_UP_MS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    catchUpQueued.set(false);
                }
            }
            return;
        }
        wakeNow();
    }

    private void wakeNow() {
        if (!closed && wakeQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> fetch(NOT_READY_RETRIES));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                wakeQueued.set(false); // closed meanwhile: JobRunr's poll finds the job
            }
        }
    }

    /** Whether the calling thread is one of the local server's workers, running a job. */
    private boolean onServerWorker() {
        Thread current = Thread.currentThread();
        for (org.jobrunr.jobs.Job job : server.getJobSteward().getJobsInProgress()) {
            if (server.getJobSteward().getThreadProcessingJob(job) == current) return true;
        }
        return false;
    }

    /** Moves the scheduled job to the queue at {@code at}, if that is within the timer horizon. */
    public void enqueueAt(UUID jobId, Instant at) {
        long delay = Duration.between(clock.instant(), at).toMillis();
        if (closed || delay > horizon.toMillis()) return; // JobRunr's own poll moves it; no timer held for days
        try {
            executor.schedule(() -> enqueueIfScheduled(jobId), Math.max(0, delay), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile: JobRunr's poll moves it
        }
    }

    private void fetch(int triesLeft) {
        wakeQueued.set(false);
        if (!server.isRunning() || server.isNotReadyToProcessJobs()) {
            // why: a server that is still starting would otherwise leave this job to its first poll
            if (triesLeft > 0 && !executor.isShutdown()) {
                executor.schedule(() -> fetch(triesLeft - 1), NOT_READY_DELAY_MS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        try {
            List<Job> jobs = storage.getJobsToProcess(server, server.getWorkDistributionStrategy().getWorkPageRequest());
            jobs.forEach(server::processJob);
        } catch (RuntimeException e) {
            LOG.debug("local wake-up could not fetch jobs; JobRunr's poll will: {}", AdapterSupport.describe(e));
        }
    }

    private void enqueueIfScheduled(UUID jobId) {
        try {
            Job job = storage.getJobById(jobId);
            if (job.hasState(StateName.SCHEDULED)) {
                job.enqueue();
                storage.save(job);
            }
            wakeNow();
        } catch (ConcurrentJobModificationException e) {
            wakeNow(); // JobRunr's own poll moved it at the same moment
        } catch (RuntimeException e) {
            LOG.debug("local timer could not enqueue job {}; JobRunr's poll will: {}", jobId, AdapterSupport.describe(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}

package io.durableops.jobrunr;

import io.durableops.core.ConfigurationException;
import io.durableops.core.StagedWork;
import io.durableops.core.spi.AttemptRunner;
import io.durableops.core.spi.DispatchRequest;
import io.durableops.core.spi.Dispatcher;
import io.durableops.core.spi.DispatcherFactory;
import io.durableops.jobrunr.internal.LocalWakeUp;
import io.durableops.jobrunr.internal.Runtimes;
import io.durableops.jobrunr.internal.ServerGuard;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.StorageProvider;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs every Durable Ops attempt as its own JobRunr job.
 * <ul>
 *   <li>The job id is derived from the attempt id and its generation, so a repeated dispatch is a no-op (JobRunr
 *       ignores a second create with the same id) and a retried attempt gets a fresh job.</li>
 *   <li>A delayed attempt is a JobRunr scheduled job; a local timer enqueues it on time on this node.</li>
 *   <li>An attempt due now is enqueued and the local server is woken, so it does not wait for JobRunr's poll.</li>
 *   <li>Attempts dispatched together (an {@code enqueueAll}) are created in one batch.</li>
 *   <li>Jobs are named {@code definition / step / attempt n} in JobRunr's dashboard.</li>
 *   <li>JobRunr's server is started again if it stops by itself (it does during a database outage).</li>
 *   <li>JobRunr's retries (the job's {@code amountOfRetries}) serve infrastructure failures only: a step's own
 *       failures are recorded and retried by Durable Ops. No job filter is registered, because registering any
 *       {@code ElectStateFilter} silently removes JobRunr's default {@code RetryFilter}.</li>
 * </ul>
 *
 * <pre>{@code
 * JobRunrConfigurationResult jobRunr = JobRunr.configure().useStorageProvider(storageProvider)
 *         .useBackgroundJobServer().initialize();
 * DurableOps ops = DurableOps.builder()....
 *         .dispatcher(JobRunrDispatcher.using(storageProvider, jobRunr.getBackgroundJobServer()))
 *         .build();
 * }</pre>
 */
public final class JobRunrDispatcher implements Dispatcher {
    private static final Duration DUE_NOW_TOLERANCE = Duration.ofMillis(50);

    private final String instance;
    private final AttemptRunner runner;
    private final JobRequestScheduler scheduler;
    private final StorageProvider storage;
    private final LocalWakeUp wakeUp;
    private final ServerGuard guard;
    private final Clock clock;
    private final int infrastructureRetries;
    /** Whether this node has a background job server: if not, it only enqueues. */
    private final boolean hasServer;
    private final BackgroundJobServer server;
    /** Runs attempts here that other nodes handed back for lack of their step ({@link #dispatchHere}); started when needed. */
    private volatile java.util.concurrent.ExecutorService here;

    private JobRunrDispatcher(String instance, AttemptRunner runner, StorageProvider storage, BackgroundJobServer server, Settings settings) {
        this.instance = instance;
        this.runner = runner;
        this.scheduler = new JobRequestScheduler(storage);
        this.storage = storage;
        this.clock = settings.clock;
        this.infrastructureRetries = settings.infrastructureRetries;
        this.hasServer = server != null;
        this.server = server;
        // why first: a name already taken throws here, before a timer or a guard has started that nothing would close
        Runtimes.register(instance, runner);
        this.wakeUp = server == null || !settings.localWakeUp ? null : new LocalWakeUp(storage, server, clock, settings.timerHorizon);
        this.guard = server == null || !settings.keepServerRunning ? null : new ServerGuard(server);
    }

    /**
     * Dispatches to JobRunr through {@code storage}; {@code server} is this node's background job server, woken
     * locally so steps start without waiting for the poll. Pass {@code null} on a node that only enqueues.
     */
    public static DispatcherFactory using(StorageProvider storage, BackgroundJobServer server) {
        return using(storage, server, settings());
    }

    public static DispatcherFactory using(StorageProvider storage, BackgroundJobServer server, Settings settings) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(settings, "settings");
        return (instance, runner) -> new JobRunrDispatcher(instance, runner, storage, server, settings);
    }

    public static Settings settings() {
        return new Settings();
    }

    /** The JobRunr job id of one dispatch of an attempt. */
    public static UUID jobId(UUID attemptId, int generation) {
        return UUID.nameUUIDFromBytes(("durable-ops:" + attemptId + ":" + generation).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void dispatch(List<DispatchRequest> requests) {
        boolean dueNow = false;
        Instant soon = clock.instant().plus(DUE_NOW_TOLERANCE);
        List<JobBuilder> jobs = new ArrayList<>(requests.size());
        Map<UUID, Instant> timers = new LinkedHashMap<>(); // the delayed jobs, for the local timers once created
        for (DispatchRequest request : requests) {
            UUID jobId = jobId(request.attemptId(), request.generation());
            JobBuilder job = JobBuilder.aJob()
                    .withId(jobId)
                    .withName(request.label())
                    .withLabels("durable-ops", truncate(request.definition()))
                    .withAmountOfRetries(infrastructureRetries)
                    .withJobRequest(new StepJobRequest(instance, request.attemptId(), request.generation()));
            if (request.runAt().isAfter(soon)) {
                job.scheduleAt(request.runAt());
                timers.put(jobId, request.runAt());
            } else {
                dueNow = true;
            }
            jobs.add(job);
        }
        create(jobs);
        if (wakeUp != null) {
            timers.forEach(wakeUp::enqueueAt);
            if (dueNow) wakeUp.wake();
        }
    }

    /**
     * Creates the jobs in one batch (one transaction of JobRunr's) when there are several, as after {@code enqueueAll};
     * one by one if that fails. why the fall-back: a batch containing an id that already exists (the relay offering an
     * attempt again) fails as a whole in JobRunr, while a single create of an existing id is ignored.
     */
    private void create(List<JobBuilder> jobs) {
        if (jobs.size() > 1) {
            try {
                scheduler.create(jobs.stream());
                return;
            } catch (RuntimeException someExistAlready) {
                // one by one below
            }
        }
        for (JobBuilder job : jobs) scheduler.create(job);
    }

    /** False on a node given no background job server: it only enqueues, and its jobs run on other nodes. */
    @Override
    public boolean runsAttemptsHere() {
        return hasServer;
    }

    /** Creates the JobRunr jobs that steps staged with {@link JobRunrStaging}; a job that already exists is left alone. */
    @Override
    public void dispatchStaged(List<StagedWork> work) {
        for (StagedWork item : work) {
            if (!JobRunrStaging.KIND.equals(item.kind())) {
                throw new IllegalArgumentException("JobRunrDispatcher cannot perform staged work of kind '" + item.kind() + "'");
            }
            try {
                storage.save(JobRunrStaging.MAPPER.deserializeJob(item.payload()));
            } catch (ConcurrentJobModificationException alreadyCreated) {
                // why: the relay may hand the same item over again; the first create wins
            }
        }
        if (!work.isEmpty() && wakeUp != null) wakeUp.wake();
    }

    /**
     * Runs the requests on this node, on threads of its own beside JobRunr's workers, not as JobRunr jobs: JobRunr would
     * hand them to any node's server, and these are attempts of steps that only some nodes have (a rolling deploy).
     */
    @Override
    public void dispatchHere(List<DispatchRequest> requests) {
        if (!hasServer) {
            dispatch(requests);
            return;
        }
        java.util.concurrent.ExecutorService e = here;
        if (e == null) {
            synchronized (this) {
                if (here == null) here = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "durable-ops-routed-" + instance);
                    t.setDaemon(true);
                    return t;
                });
                e = here;
            }
        }
        for (DispatchRequest request : requests) e.execute(() -> runner.run(request.attemptId(), request.generation()));
    }

    /** Whether JobRunr's background job server of this node is stopping (or stopped): it interrupts the steps it runs. */
    @Override
    public boolean isStopping() {
        return hasServer && !server.isRunning();
    }

    @Override
    public void close() {
        java.util.concurrent.ExecutorService e = here;
        if (e != null) e.shutdown();
        Runtimes.unregister(instance, runner);
        if (wakeUp != null) wakeUp.close();
        if (guard != null) guard.close();
    }

    private static String truncate(String label) {
        return label.length() <= 45 ? label : label.substring(0, 45); // JobRunr's limit for a label
    }

    /** Tuning of the JobRunr dispatcher; the defaults suit most applications. */
    public static final class Settings {
        private boolean localWakeUp = true;
        private boolean keepServerRunning = true;
        private Duration timerHorizon = Duration.ofMinutes(15);
        private int infrastructureRetries = 10;
        private Clock clock = Clock.systemUTC();

        private Settings() {
        }

        /** Whether this node wakes its own JobRunr server and times delayed steps itself. Default on. */
        public Settings localWakeUp(boolean on) {
            this.localWakeUp = on;
            return this;
        }

        /**
         * Whether this node starts JobRunr's background job server again when it stopped by itself, as JobRunr does
         * during a database outage of about half a minute. Default on; turn it off only if something else supervises it
         * (and stop the server only after closing Durable Ops).
         */
        public Settings keepServerRunning(boolean on) {
            this.keepServerRunning = on;
            return this;
        }

        /** Delayed steps due within this horizon get a local timer; later ones are left to JobRunr's poll. Default 15 min. */
        public Settings timerHorizon(Duration horizon) {
            if (horizon == null || horizon.isNegative()) throw new ConfigurationException("timerHorizon must not be negative, was " + horizon);
            this.timerHorizon = horizon;
            return this;
        }

        /** How often JobRunr retries a job whose infrastructure failed (the database was down). Default 10. */
        public Settings infrastructureRetries(int retries) {
            if (retries < 0) throw new ConfigurationException("infrastructureRetries must not be negative, was " + retries);
            this.infrastructureRetries = retries;
            return this;
        }

        /** The clock delays are measured with; the same one given to {@code DurableOps.builder().clock(...)}. */
        public Settings clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }
    }
}

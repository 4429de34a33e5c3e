package io.durableops.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationDefinition;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.jobrunr.JobRunrDispatcher;
import io.durableops.samples.reliability.Effects;
import io.durableops.samples.reliability.Poison;
import io.durableops.samples.reliability.Workload;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reliability suite (issue 7), run by {@code reliability/run}: starts a private MariaDB and three worker JVMs,
 * drives the workload through them while it SIGKILLs workers mid-step, stops the database and feeds poison, then
 * audits the database and prints a summary and the RESULT lines. Exits 1 if an operation was lost or a step's
 * completion was recorded twice, or if the chaos did not happen as planned.
 */
public final class ReliabilityMain {
    static final String KEY_ID = "rel-1";
    /** Whether worker {@code i} runs with the fast path: one of the three, a mixed cluster. */
    static boolean fastPath(int i) {
        return i == FAST_PATH_INDEX;
    }

    private static final int FAST_PATH_INDEX = 2;
    static final String FAST_PATH_WORKER = "worker-" + FAST_PATH_INDEX;

    static final int WORKERS = 3;
    static final int WORKER_THREADS = 4;
    static final int POLL_SECONDS = 5;
    static final int LEASE_SECONDS = 5;
    /** Kills beyond the plan when planned ones found no step in flight, before the run gives up (and fails). */
    static final int MAX_KILL_RETRIES = 20;
    /** Operations fed when kills are still owed and the work has drained, over {@link #EXTRA_FEED}. */
    static final int EXTRA_OPERATIONS = 50;
    static final Duration EXTRA_FEED = Duration.ofSeconds(5);

    /** The plan of one run. Times are offsets from the first enqueue. */
    record Plan(String name, int operations, Duration feedOver, List<Duration> kills, Duration outageAt, Duration outageFor,
                int poisonPerKind, boolean poisonAfterOutage, Duration deployAt, Duration settle) {
        static Plan full() {
            return new Plan("full", 1000, Duration.ofSeconds(100),
                    List.of(Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(75), Duration.ofSeconds(90)),
                    Duration.ofSeconds(38), Duration.ofSeconds(16), 2, true, Duration.ofSeconds(57), Duration.ofMinutes(5));
        }

        /** The same plan with another outage length (to see what a longer outage does to JobRunr). */
        Plan withOutage(Duration outage) {
            return new Plan(name + ", " + outage.toSeconds() + " s outage", operations, feedOver, kills, outageAt, outage, poisonPerKind,
                    poisonAfterOutage, deployAt, settle);
        }

        static Plan quick() {
            return new Plan("quick", 100, Duration.ofSeconds(30), List.of(Duration.ofSeconds(5)),
                    Duration.ofSeconds(10), Duration.ofSeconds(6), 1, false, Duration.ofSeconds(19), Duration.ofMinutes(2));
        }
    }

    /** How long a worker drains when it is stopped gracefully, and how soon an operation no live node can run is paused. */
    static final int DRAIN_SECONDS = 10;
    static final int STRANDED_GRACE_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        Plan plan = List.of(args).contains("--quick") ? Plan.quick() : Plan.full();
        String outage = System.getProperty("reliability.outageSeconds", "");
        if (!outage.isBlank()) plan = plan.withOutage(Duration.ofSeconds(Long.parseLong(outage)));
        Path directory = Path.of(System.getProperty("reliability.dir", "reliability/target/run"));
        int port = Integer.parseInt(System.getProperty("reliability.port", "3407"));
        System.exit(run(plan, directory, port));
    }

    static int run(Plan plan, Path directory, int port) throws Exception {
        Instant began = Instant.now();
        System.out.printf("Durable Ops reliability suite, %s run: %d operations of %d steps, %d worker JVMs, %d kill(s), a %d s database outage%n",
                plan.name(), plan.operations(), Workload.STEPS.size(), WORKERS, plan.kills().size(), plan.outageFor().toSeconds());
        System.out.println("  run directory (database, worker logs): " + directory.toAbsolutePath());
        List<WorkerProcess> workers = new ArrayList<>();
        MariaDbServer database = MariaDbServer.install(directory.resolve("mariadb"), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // why: a driver interrupted by Ctrl+C or a crash must not leave worker JVMs and a database behind
            for (WorkerProcess w : workers) w.destroyQuietly();
            database.destroyQuietly();
        }));
        database.start();
        database.createDatabase("reliability");
        String url = database.url("reliability");
        String key = AesGcmEncryptor.generateKey();
        AesGcmEncryptor encryptor = AesGcmEncryptor.of(KEY_ID, key);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("driver");
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(3_000);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            // the driver is a node that only enqueues: JobRunr's tables and Durable Ops' schema are created here first
            JacksonJsonMapper json = new JacksonJsonMapper();
            StorageProvider storage = SqlStorageProviderFactory.using(dataSource);
            storage.setJobMapper(new JobMapper(json));
            try (Connection c = dataSource.getConnection()) {
                c.createStatement().execute(Effects.DDL);
            }
            List<OperationDefinition> definitions = new ArrayList<>();
            definitions.add(new Workload(null));
            Poison.definitions().stream().filter(d -> !d.name().equals(Poison.REDEPLOYED)).forEach(definitions::add);
            definitions.addAll(OldDeploy.definitions());
            DurableOps ops = DurableOps.builder().dataSource(dataSource).encryptor(encryptor).register(definitions)
                    .dispatcher(JobRunrDispatcher.using(storage, null)).relayInterval(Duration.ZERO).build();
            DurableOps rogue = DurableOps.builder().name("rogue").dataSource(dataSource).migrate(false)
                    .encryptor(AesGcmEncryptor.of("rogue", AesGcmEncryptor.generateKey())).register(definitions)
                    .dispatcher(new ManualDispatcher(Clock.systemUTC())).relayInterval(Duration.ZERO).build();

            Path logs = Files.createDirectories(directory.resolve("logs"));
            for (int i = 1; i <= WORKERS; i++) {
                workers.add(new WorkerProcess("worker-" + i, List.of("--url", url, "--key-id", KEY_ID, "--key", key,
                        "--threads", String.valueOf(WORKER_THREADS), "--poll-seconds", String.valueOf(POLL_SECONDS),
                        "--lease-seconds", String.valueOf(LEASE_SECONDS), "--fast-path", fastPath(i) ? "on" : "off",
                        "--jobrunr-guard", System.getProperty("reliability.jobrunrGuard", "on"),
                        "--drain-seconds", String.valueOf(DRAIN_SECONDS), "--stranded-grace-seconds", String.valueOf(STRANDED_GRACE_SECONDS)), logs));
            }
            for (WorkerProcess w : workers) w.start();
            for (WorkerProcess w : workers) w.awaitReady(Duration.ofSeconds(90));
            System.out.printf("  %s %d workers ready (JobRunr poll %d s, %d threads each; Durable Ops lease %d s, relay every 1 s; "
                            + "fast path on worker-2, one JobRunr job per step on the others)%n",
                    Chaos.clock(), WORKERS, POLL_SECONDS, WORKER_THREADS, LEASE_SECONDS);

            Traffic traffic = new Traffic(ops, rogue, encryptor, dataSource);
            Chaos chaos = new Chaos(dataSource, database, workers);
            Instant start = Instant.now();
            Thread feeder = traffic.feed(plan.operations(), plan.feedOver());
            OperatorRaces races = new OperatorRaces(() -> traffic.ops().admin(), traffic.workload());
            Thread racing = races.start(start.plus(plan.feedOver()).plusSeconds(2));
            traffic.poison(plan.poisonPerKind());
            System.out.printf("  %s feeding %d operations over %d s; %d poison operations enqueued%n", Chaos.clock(), plan.operations(),
                    plan.feedOver().toSeconds(), traffic.poisonOps().size());

            List<Runnable> script = new ArrayList<>();
            List<Duration> at = new ArrayList<>();
            for (int k = 0; k < plan.kills().size(); k++) {
                at.add(plan.kills().get(k));
                // why kills aimed at the fast-path worker: its steps recorded alone must be recovered as well. It is
                // often idle for many seconds (see Chaos.killMidStep), so every second kill waits for it (the only
                // one in the quick run)
                String preferred = k % 2 == 1 || plan.kills().size() == 1 ? FAST_PATH_WORKER : null;
                script.add(() -> unchecked(() -> chaos.killMidStep(Duration.ofSeconds(10), Duration.ofSeconds(1), preferred)));
            }
            at.add(plan.outageAt());
            script.add(() -> unchecked(() -> {
                chaos.outage(plan.outageFor());
                if (plan.poisonAfterOutage()) {
                    traffic.poison(plan.poisonPerKind());
                    System.out.printf("  %s %d poison operations enqueued in all%n", Chaos.clock(), traffic.poisonOps().size());
                }
                return null;
            }));
            at.add(plan.deployAt());
            script.add(() -> unchecked(() -> {
                rollingDeploy(workers, traffic, dataSource, encryptor, storage, definitions);
                return null;
            }));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < at.size(); i++) order.add(i);
            order.sort((a, b) -> at.get(a).compareTo(at.get(b)));
            for (int i : order) {
                Traffic.sleepUntil(start.plus(at.get(i)));
                script.get(i).run();
                chaos.observe();
            }
            long midStepKills = chaos.kills().stream().filter(Chaos.Kill::midStep).count();
            for (int retry = 0; midStepKills < plan.kills().size() && retry < MAX_KILL_RETRIES; retry++) {
                // a kill that found no step in flight does not count; kill again. why more work: a kill can miss (the
                // step ends between the look and the SIGKILL, or the worker it waits for stays idle) after the last
                // operation was fed; with nothing left to run, killing again would never find a step in flight
                if (!feeder.isAlive() && Audit.unfinished(dataSource) == 0) {
                    System.out.printf("  %s %d of %d kills found a step in flight and the work has drained; feeding %d more operations%n",
                            Chaos.clock(), midStepKills, plan.kills().size(), EXTRA_OPERATIONS);
                    feeder.join();
                    feeder = traffic.feed(EXTRA_OPERATIONS, EXTRA_FEED);
                }
                if (chaos.killMidStep(Duration.ofSeconds(10), Duration.ofSeconds(1)).midStep()) midStepKills++;
            }
            feeder.join();
            racing.join();
            System.out.printf("  %s all %d operations enqueued (%d enqueue calls retried while the database was away)%n",
                    Chaos.clock(), traffic.workload().size(), traffic.enqueueRetries());

            Instant settleBy = Instant.now().plus(plan.settle());
            int unfinished = Integer.MAX_VALUE;
            int lastPrinted = -1;
            while (Instant.now().isBefore(settleBy)) {
                chaos.observe();
                try {
                    unfinished = Audit.unfinished(dataSource);
                } catch (java.sql.SQLException e) {
                    unfinished = Integer.MAX_VALUE;
                }
                if (unfinished == 0 && chaos.allRecoveriesMeasured()) break;
                if (unfinished != lastPrinted) {
                    System.out.printf("  %s %d operation(s) still running%n", Chaos.clock(), unfinished);
                    lastPrinted = unfinished;
                }
                Thread.sleep(1_000);
            }
            chaos.observe();
            Audit audit = Audit.of(dataSource, traffic.ops().scheduler(), traffic);
            int exit = Report.print(plan, audit, chaos, traffic, races, workers, Duration.between(began, Instant.now()));
            for (WorkerProcess w : workers) w.stop();
            rogue.close();
            traffic.ops().close();
            return exit;
        } finally {
            for (WorkerProcess w : workers) w.destroyQuietly();
            database.stop();
        }
    }

    /**
     * The rolling deploy: each worker in turn is stopped gracefully (SIGTERM: Durable Ops drains, then JobRunr's server
     * stops) and started again on the new build, which has version 2 of the workload (a step renamed) beside version 1.
     * Once the first worker runs the new build, the application enqueues with it too, so new operations start on
     * version 2 while older ones, and nodes of both builds, share the work until the last old node is gone.
     */
    private static void rollingDeploy(List<WorkerProcess> workers, Traffic traffic, javax.sql.DataSource dataSource,
                                      AesGcmEncryptor encryptor, StorageProvider storage, List<OperationDefinition> oldBuild) throws Exception {
        for (int i = 0; i < workers.size(); i++) {
            WorkerProcess w = workers.get(i);
            Instant stopping = Instant.now();
            w.stop();
            w.upgrade(List.of("--build", "new"));
            w.start();
            w.awaitReady(Duration.ofSeconds(90));
            System.out.printf("  %s deploy: %s stopped gracefully in %s s and started on the new build%n", Chaos.clock(), w.name(),
                    seconds(Duration.between(stopping, Instant.now()).toMillis() / 1000.0));
            if (i == 0) {
                List<OperationDefinition> newBuild = new ArrayList<>(oldBuild);
                newBuild.add(Workload.renamed(null));
                // why close first: one runtime per name in a JVM, and the workers' jobs name the runtime "default"
                DurableOps before = traffic.ops();
                before.close();
                traffic.switchTo(DurableOps.builder().dataSource(dataSource).encryptor(encryptor).register(newBuild)
                        .dispatcher(JobRunrDispatcher.using(storage, null)).relayInterval(Duration.ZERO).build());
                System.out.printf("  %s deploy: the application enqueues with the new build (workload version 2)%n", Chaos.clock());
            }
        }
    }

    interface Step {
        Object run() throws Exception;
    }

    private static void unchecked(Step step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }
}

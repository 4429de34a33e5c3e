package io.durableops.samples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.durableops.admin.AdminUi;
import io.durableops.admin.PasswordHash;
import io.durableops.admin.PasswordUsers;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.jobrunr.JobRunrDispatcher;
import io.durableops.samples.subscription.Payments;
import io.durableops.samples.subscription.SubscriptionFulfillment;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.jobrunr.dashboard.JobRunrDashboardWebServerConfiguration.usingStandardDashboardConfiguration;
import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * The embedded demo: an H2 file database under {@code ./durable-ops-demo}, JobRunr with its dashboard, Durable Ops'
 * admin UI on 127.0.0.1 (user {@code demo}, its password generated into {@code durable-ops-demo/admin.password}), and
 * back_ops' subscription fulfillment for a red and a blue subscription, printed step by step as each completion is
 * recorded.
 *
 * <pre>
 *   mvn -q -DskipTests -pl samples -am install exec:java                         # keeps the dashboard up until Ctrl+C
 *   mvn -q -DskipTests -pl samples -am install exec:java -Dexec.args=--exit      # ends after the scenario
 * </pre>
 *
 * If it cannot start, it stops what it had started (JobRunr's threads would keep the JVM alive) and throws.
 */
public final class EmbeddedDemo implements AutoCloseable {
    private final Deque<AutoCloseable> started;
    private final DurableOps ops;
    private final PrintStream out;
    private final int dashboardPort;
    private final AdminUi adminUi;
    private final String adminPassword;

    private EmbeddedDemo(Path directory, int dashboardPort, int adminPort, Duration receiptDelay, PrintStream out) throws IOException {
        this.out = out;
        this.dashboardPort = dashboardPort;
        this.started = new ArrayDeque<>();
        try {
            Files.createDirectories(directory);
            HikariConfig config = new HikariConfig();
            // why DB_CLOSE_ON_EXIT=FALSE: H2 would close the database in a shutdown hook of its own while JobRunr and
            // Durable Ops still use it (Ctrl+C printed "Database is already closed"); close() closes it last instead
            config.setJdbcUrl("jdbc:h2:file:" + directory.toAbsolutePath().resolve("demo") + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
            config.setUsername("sa");
            config.setMaximumPoolSize(10);
            HikariDataSource dataSource = new HikariDataSource(config);
            started.push(dataSource);

            StorageProvider storage = SqlStorageProviderFactory.using(dataSource);
            started.push(JobRunr::destroy); // before initialize(): a dashboard that fails to start leaves the server running
            JobRunrConfigurationResult jobRunr = JobRunr.configure()
                    .useStorageProvider(storage)
                    .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration().andPollInterval(Duration.ofSeconds(5)).andWorkerCount(4))
                    .useDashboard(usingStandardDashboardConfiguration().andPort(dashboardPort).andAllowAnonymousDataUsage(false))
                    .initialize();
            this.ops = DurableOps.builder()
                    .dataSource(dataSource)
                    .encryptor(AesGcmEncryptor.of("demo", demoKey(directory)))
                    .register(new SubscriptionFulfillment(new Payments().declineOnceFor(42), receiptDelay))
                    .dispatcher(JobRunrDispatcher.using(storage, jobRunr.getBackgroundJobServer()))
                    .build();
            started.push(ops);
            this.adminPassword = secret(directory.resolve("admin.password"));
            this.adminUi = AdminUi.builder(ops)
                    .users(PasswordUsers.builder().operator("demo", PasswordHash.hash(adminPassword.toCharArray())).build())
                    .bind("127.0.0.1", adminPort)
                    .title("Durable Ops demo")
                    .start();
            started.push(adminUi);
        } catch (IOException | RuntimeException | Error e) {
            close(e);
            throw e;
        }
        out.println("Admin UI: " + adminUi.url() + "  (user demo, password " + adminPassword + ", kept in "
                + directory.resolve("admin.password") + ")");
    }

    /** Starts the demo's database, JobRunr and Durable Ops. */
    public static EmbeddedDemo start(Path directory, int dashboardPort, Duration receiptDelay, PrintStream out) throws IOException {
        return start(directory, dashboardPort, 0, receiptDelay, out);
    }

    /** As {@link #start(Path, int, Duration, PrintStream)}, with the admin UI on {@code adminPort} (0: any free port). */
    public static EmbeddedDemo start(Path directory, int dashboardPort, int adminPort, Duration receiptDelay, PrintStream out) throws IOException {
        return new EmbeddedDemo(directory, dashboardPort, adminPort, receiptDelay, out);
    }

    public static void main(String[] args) throws Exception {
        boolean exit = List.of(args).contains("--exit");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        boolean allCompleted;
        try {
            try (EmbeddedDemo demo = start(Path.of("durable-ops-demo"), 8000, 7070, Duration.ofSeconds(5), System.out)) {
                Map<OperationId, OperationView> finished = demo.runScenario(Duration.ofMinutes(2));
                allCompleted = finished.size() == 2 && finished.values().stream().allMatch(v -> v.status() == OperationStatus.COMPLETED);
                if (!exit) {
                    System.out.println();
                    System.out.println("JobRunr's dashboard (each step is a job there): http://localhost:" + demo.dashboardPort + "/dashboard/jobs?state=SUCCEEDED");
                    System.out.println("Durable Ops' admin UI (find, inspect, retry, expire operations): " + demo.adminUrl()
                            + "  user demo, password " + demo.adminPassword);
                    System.out.println("Press Ctrl+C to stop.");
                    // why wait for closed: the JVM halts as soon as its shutdown hooks return, which would cut close() short
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        stop.countDown();
                        try {
                            closed.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "durable-ops-demo-shutdown"));
                    stop.await();
                }
            }
        } finally {
            closed.countDown();
        }
        if (!allCompleted) System.exit(1);
    }

    public OperationScheduler scheduler() {
        return ops.scheduler();
    }

    /** Where the admin UI listens, e.g. {@code http://127.0.0.1:7070/}. */
    public String adminUrl() {
        return adminUi.url();
    }

    /**
     * Enqueues a red and a blue subscription, prints every step as its completion is recorded, and returns the final
     * state of both once they have finished (or when {@code timeout} passes).
     */
    public Map<OperationId, OperationView> runScenario(Duration timeout) throws InterruptedException {
        OperationScheduler scheduler = ops.scheduler();
        Map<OperationId, String> names = new LinkedHashMap<>();
        names.put(scheduler.enqueue(SubscriptionFulfillment.NAME, Map.of("subscriptionId", 42, "plan", "red", "email", "ada@example.com")), "subscription 42 (red)");
        names.put(scheduler.enqueue(SubscriptionFulfillment.NAME, Map.of("subscriptionId", 43, "plan", "blue", "email", "grace@example.com")), "subscription 43 (blue)");
        out.println("Enqueued " + names.size() + " subscription-fulfillment operations; the receipt is sent after a delay.");

        Set<String> printed = new HashSet<>();
        Map<OperationId, OperationView> finished = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        while (finished.size() < names.size() && Instant.now().isBefore(deadline)) {
            for (Map.Entry<OperationId, String> entry : names.entrySet()) {
                for (AttemptView attempt : scheduler.attempts(entry.getKey())) {
                    String key = attempt.id() + "/" + attempt.attemptCount() + "/" + attempt.status();
                    if (printed.contains(key)) continue;
                    if (attempt.status() == AttemptStatus.SUCCEEDED) {
                        printed.add(key);
                        out.printf("  %-22s step %-13s completed after %d attempt(s)%s%n", entry.getValue(), attempt.step(),
                                attempt.attemptCount(), attempt.errors().isEmpty() ? ""
                                        : " (retried after: " + attempt.errors().get(0).message() + ")");
                    } else if (attempt.status() == AttemptStatus.SCHEDULED && attempt.scheduledAt().isAfter(Instant.now().plusMillis(500))) {
                        printed.add(key);
                        out.printf("  %-22s step %-13s scheduled for %s%n", entry.getValue(), attempt.step(), attempt.scheduledAt());
                    }
                }
                OperationView view = scheduler.get(entry.getKey());
                if (view.status().isTerminal() && !finished.containsKey(entry.getKey())) {
                    finished.put(entry.getKey(), view);
                    out.printf("  %-22s %s%n", entry.getValue(), "is " + view.status() + view.failureReason().map(r -> ": " + r).orElse("")
                            + (view.status() == OperationStatus.COMPLETED ? " with results " + view.results().asMap() : ""));
                }
            }
            Thread.sleep(100); // a console poll for display only; the operations themselves never wait on it
        }
        return finished;
    }

    /** Stops the admin UI, Durable Ops, JobRunr, then the database: the reverse of the order they started in. */
    @Override
    public void close() {
        RuntimeException failure = new RuntimeException("the demo did not stop cleanly");
        close(failure);
        if (failure.getSuppressed().length > 0) throw failure;
    }

    /** Closes what was started, last first; what fails to close is added to {@code failure}. */
    private void close(Throwable failure) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** The admin user's password, generated on first run and kept beside the key (a demo: never do this in production). */
    private static String secret(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[12];
            new java.security.SecureRandom().nextBytes(random);
            Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).trim();
    }

    /** The demo's key, made on first run and kept beside its database so a restarted demo can read its data. */
    private static String demoKey(Path directory) throws IOException {
        Path file = directory.resolve("demo.key");
        if (!Files.exists(file)) Files.writeString(file, AesGcmEncryptor.generateKey());
        return Files.readString(file).trim();
    }
}

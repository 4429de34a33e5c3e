package io.durableops.samples.docs;

// tag::imports[]
import com.zaxxer.hikari.HikariDataSource;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.AttemptView;
import io.durableops.core.DurableOps;
import io.durableops.core.Encryptor;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.ErrorView;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.jobrunr.dashboard.JobRunrDashboardWebServerConfiguration.usingStandardDashboardConfiguration;
import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;
// end::imports[]

// the tests' own
import io.durableops.core.DefinitionException;
import io.durableops.core.testing.TestEngine;
import io.durableops.samples.subscription.SubscriptionFulfillment;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The code of docs/getting-started.md, compiled and (but for the production set-up) run by the build. */
class GettingStartedExamplesTest {
    /** The application's mailer. */
    interface Mailer {
        String send(String to, String body, String idempotencyKey);
    }

    // tag::definition[]
    public static final class WelcomeEmail implements OperationDefinition {
        private final Mailer mailer;

        public WelcomeEmail(Mailer mailer) {
            this.mailer = mailer;
        }

        @Override
        public String name() {
            return "welcome-email"; // stable: stored with every operation
        }

        @Override
        public void define(Flow flow) {
            flow.requires("userId", "email")
                    .action("render", ctx -> ctx.set("body", "Welcome, user " + ctx.get("userId", Long.class) + "!"))
                    .action("send", ctx -> {
                        String messageId = mailer.send(ctx.get("email", String.class), ctx.get("body", String.class),
                                ctx.idempotencyKey()); // the same key on every retry of this step
                        ctx.set("messageId", messageId);
                    }, StepOptions.retry(RetryPolicy.exponential(8).withNonRetryable(IllegalArgumentException.class)))
                    .result("sent", (ctx, results) -> results.put("messageId", ctx.get("messageId", String.class)));
        }
    }
    // end::definition[]

    /** Compiled, not run: the production set-up of steps 2 and 3, against MySQL and a key from the environment. */
    @SuppressWarnings("unused")
    static DurableOps production(Mailer mailer) {
        // tag::jobrunr[]
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:mysql://127.0.0.1:3306/app?user=app&password=secret");

        StorageProvider storageProvider = SqlStorageProviderFactory.using(dataSource);
        JobRunrConfigurationResult jobRunr = JobRunr.configure()
                .useStorageProvider(storageProvider)
                .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration()
                        .andPollInterval(Duration.ofSeconds(5)))      // 5 s is JobRunr's minimum for SQL storage
                .useDashboard(usingStandardDashboardConfiguration()
                        .andPort(8000)
                        .andAllowAnonymousDataUsage(false))           // stops the dashboard from phoning home
                .initialize();
        BackgroundJobServer backgroundJobServer = jobRunr.getBackgroundJobServer();
        // end::jobrunr[]
        // tag::runtime[]
        DurableOps ops = DurableOps.builder()
                .dataSource(dataSource)
                .encryptor(AesGcmEncryptor.of("2026-11", System.getenv("DURABLE_OPS_KEY")))
                .register(new WelcomeEmail(mailer))
                .dispatcher(JobRunrDispatcher.using(storageProvider, backgroundJobServer))
                .build();
        OperationScheduler scheduler = ops.scheduler();
        // end::runtime[]
        // tag::rotation[]
        Encryptor encryptor = AesGcmEncryptor.builder()
                .primaryKey("2027-05", System.getenv("DURABLE_OPS_KEY_2027_05"))   // encrypts new data
                .oldKey("2026-11", System.getenv("DURABLE_OPS_KEY_2026_11"))       // still decrypts older data
                .build();
        // end::rotation[]
        return ops;
    }

    /** Run by {@link #aBuildThatThrowsStopsJobRunrToo}: the start-up of steps 2 and 3 when {@code build()} throws. */
    static DurableOps startOrStop(HikariDataSource dataSource, StorageProvider storageProvider, JobRunrConfigurationResult jobRunr,
                                  Encryptor encryptor, OperationDefinition... definitions) {
        // tag::failed-start[]
        DurableOps ops;
        try {
            ops = DurableOps.builder()
                    .dataSource(dataSource)
                    .encryptor(encryptor)
                    .register(definitions)
                    .dispatcher(JobRunrDispatcher.using(storageProvider, jobRunr.getBackgroundJobServer()))
                    .build();
        } catch (RuntimeException e) {
            // build() has stopped what Durable Ops started; JobRunr's server and dashboard threads are yours to stop
            JobRunr.destroy();      // the server, the dashboard and the storage provider that JobRunr.configure() started
            dataSource.close();
            throw e;
        }
        // end::failed-start[]
        return ops;
    }

    /** Compiled, not run: the README's set-up. */
    @SuppressWarnings("unused")
    static OperationId readme(javax.sql.DataSource dataSource, io.durableops.samples.subscription.Payments payments,
                              StorageProvider storageProvider, BackgroundJobServer backgroundJobServer) {
        // tag::readme-setup[]
        DurableOps ops = DurableOps.builder()
                .dataSource(dataSource)                                   // MySQL/MariaDB or H2
                .encryptor(AesGcmEncryptor.of("2026-11", System.getenv("DURABLE_OPS_KEY")))
                .register(new SubscriptionFulfillment(payments, Duration.ofMinutes(10)))
                .dispatcher(JobRunrDispatcher.using(storageProvider, backgroundJobServer))
                .build();
        OperationId id = ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 42, "plan", "red", "email", "ada@example.com"));
        // end::readme-setup[]
        return id;
    }

    @Test
    void aBuildThatThrowsStopsJobRunrToo() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:failed-start;DB_CLOSE_DELAY=-1");
        StorageProvider storageProvider = SqlStorageProviderFactory.using(dataSource);
        JobRunrConfigurationResult jobRunr = JobRunr.configure()
                .useStorageProvider(storageProvider)
                .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration().andPollInterval(Duration.ofSeconds(5)))
                .useDashboard(usingStandardDashboardConfiguration().andPort(freePort()).andAllowAnonymousDataUsage(false))
                .initialize();
        OperationDefinition broken = OperationDefinition.of("broken", flow -> flow.action("a", ctx -> { }, StepOptions.then("nowhere")));

        assertThatThrownBy(() -> startOrStop(dataSource, storageProvider, jobRunr, Encryptor.plaintext(), broken))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'nowhere', which does not exist");

        // the server's and the dashboard's threads are not daemons: left running, they keep the JVM alive
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nonDaemonThreads()).isSubsetOf(before));
        assertThat(dataSource.isClosed()).isTrue();
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon() && t.isAlive()).collect(Collectors.toSet());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startLookUpAndTest() {
        List<String> sent = new ArrayList<>();
        Mailer fakeMailer = (to, body, key) -> {
            sent.add(to);
            return "msg-" + sent.size();
        };
        // tag::test[]
        try (TestEngine engine = TestEngine.of(new WelcomeEmail(fakeMailer))) {
            OperationId id = engine.scheduler().enqueue("welcome-email", Map.of("userId", 42L, "email", "ada@example.com"));
            engine.runUntilIdle();                 // runs every step; delays and retries take no time
            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        }
        // end::test[]
        try (TestEngine engine = TestEngine.of(new WelcomeEmail(fakeMailer))) {
            OperationScheduler scheduler = engine.scheduler();
            // tag::enqueue[]
            OperationId id = scheduler.enqueue("welcome-email", Map.of("userId", 42L, "email", "ada@example.com"));

            Map<String, Object> input = Map.of("userId", 43L, "email", "bob@example.com");
            OperationId later = scheduler.schedule("welcome-email", input, Duration.ofMinutes(10));
            OperationId atNine = scheduler.enqueue("welcome-email", input, EnqueueOptions.runAt(Instant.parse("2030-01-01T09:00:00Z")));
            // end::enqueue[]
            // tag::idempotent[]
            OperationId once = scheduler.enqueue("welcome-email", Map.of("userId", 42L, "email", "ada@example.com"),
                    EnqueueOptions.idempotencyKey("welcome-42"));
            // end::idempotent[]
            // tag::batch[]
            List<Map<String, ?>> inputs = List.of(
                    Map.of("userId", 44L, "email", "cy@example.com"),
                    Map.of("userId", 45L, "email", "di@example.com"));
            List<OperationId> ids = scheduler.enqueueAll("welcome-email", inputs); // one transaction, ids in input order
            // end::batch[]
            assertThat(ids).hasSize(2).doesNotContain(id);
            engine.runDue();
            List<String> printed = new ArrayList<>();
            // tag::lookup[]
            OperationView op = scheduler.get(id);   // find(id) returns an Optional instead of throwing
            if (op.status() == OperationStatus.COMPLETED) {
                String messageId = op.results().get("messageId", String.class);
            } else {
                op.failureReason().ifPresent(reason -> System.out.println("stopped: " + reason));
            }

            for (AttemptView attempt : scheduler.attempts(id)) {
                System.out.printf("%s %s tries=%d scheduled=%s%n", attempt.step(), attempt.status(), attempt.attemptCount(), attempt.scheduledAt());
                for (ErrorView error : attempt.errors()) {
                    System.out.printf("  try %d: %s: %s%n", error.attempt(), error.errorClass(), error.message());
                }
            }
            // end::lookup[]
            assertThat(op.status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(scheduler.get(once).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(scheduler.get(later).status()).isEqualTo(OperationStatus.RUNNING);
            engine.advance(Duration.ofMinutes(10));
            assertThat(scheduler.get(later).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(scheduler.attempts(atNine).get(0).scheduledAt()).isEqualTo(Instant.parse("2030-01-01T09:00:00Z"));
            assertThat(sent).as("one from the first engine, then id, once, the batch and later")
                    .containsExactly("ada@example.com", "ada@example.com", "ada@example.com", "cy@example.com", "di@example.com", "bob@example.com");
        }
    }
}

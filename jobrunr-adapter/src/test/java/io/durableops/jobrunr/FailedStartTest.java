package io.durableops.jobrunr;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.test.TestDatabase;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * A {@code build()} that throws leaves nothing of Durable Ops running beside the application's JobRunr server: no
 * thread, no dispatcher registered under its name, no guard that would start the server again once the application
 * stopped it. On H2 only: nothing here depends on the database.
 */
class FailedStartTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private TestDatabase db;
    private StorageProvider storage;
    private BackgroundJobServer server;
    private Set<Thread> before;

    @BeforeEach
    void startJobRunr() {
        db = TestDatabase.h2();
        JacksonJsonMapper json = new JacksonJsonMapper();
        storage = SqlStorageProviderFactory.using(db.dataSource());
        storage.setJobMapper(new JobMapper(json));
        server = new BackgroundJobServer(storage, json, null,
                usingStandardBackgroundJobServerConfiguration().andPollInterval(Duration.ofSeconds(30)).andWorkerCount(2));
        server.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.isRunning() && !server.isNotReadyToProcessJobs());
        before = durableOpsThreads();
    }

    @AfterEach
    void stopJobRunr() {
        server.stop();
        storage.close();
        db.close();
    }

    @Test
    void aBuildThatFailsAfterItsDispatcherStartedClosesItAndFreesItsName() {
        // why this interval: the relay cannot schedule it (its milliseconds overflow a long), and it is only read when
        // the relay starts, after the JobRunr dispatcher has started its timers and its guard
        DurableOps.Builder failing = builder().relayInterval(Duration.ofSeconds(Long.MAX_VALUE));

        assertThatThrownBy(failing::build).isInstanceOf(ArithmeticException.class);

        await().atMost(SOON).untilAsserted(() -> assertThat(durableOpsThreads()).isSubsetOf(before));
        try (DurableOps ops = builder().build()) {
            OperationId id = ops.scheduler().enqueue("one-step", Map.of());
            await().atMost(SOON).until(() -> ops.scheduler().get(id).status() == OperationStatus.COMPLETED);
        }
    }

    @Test
    void aSecondRuntimeOfTheSameNameIsRefusedBeforeItStartsAnything() {
        try (DurableOps first = builder().build()) {
            Set<Thread> withFirst = durableOpsThreads();

            assertThatThrownBy(() -> builder().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a Durable Ops runtime named 'default' is already running in this JVM");

            await().atMost(SOON).untilAsserted(() -> assertThat(durableOpsThreads()).isSubsetOf(withFirst));
            OperationId id = first.scheduler().enqueue("one-step", Map.of());
            await().atMost(SOON).until(() -> first.scheduler().get(id).status() == OperationStatus.COMPLETED);
        }
    }

    @Test
    void afterAFailedBuildJobRunrsServerStaysStoppedOnceTheApplicationStopsIt() {
        assertThatThrownBy(() -> builder().relayInterval(Duration.ofSeconds(Long.MAX_VALUE)).build()).isInstanceOf(ArithmeticException.class);

        server.stop();

        // the guard, had it been left running, would have started the server again within two of its 1 s checks
        await().atMost(SOON).untilAsserted(() -> assertThat(durableOpsThreads()).isSubsetOf(before));
        assertThat(server.isRunning()).isFalse();
    }

    private DurableOps.Builder builder() {
        return DurableOps.builder()
                .dataSource(db.dataSource())
                .encryptor(AesGcmEncryptor.of("k1", JobRunrHarness.KEY))
                .register(define("one-step", f -> f.action("a", ctx -> { }).result("done")))
                .dispatcher(JobRunrDispatcher.using(storage, server));
    }

    private static Set<Thread> durableOpsThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("durable-ops-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}

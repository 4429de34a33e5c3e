package io.durableops.admin;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationDefinition;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * The real engine for the browser tests: a JobRunr server on the test database and a Durable Ops runtime dispatching
 * to it (as jobrunr-adapter's own test harness does; that module has no test-jar).
 */
final class JobRunrEngine implements AutoCloseable {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    final StorageProvider storage;
    final BackgroundJobServer server;
    final DurableOps ops;

    JobRunrEngine(DataSource dataSource, OperationDefinition... definitions) {
        JacksonJsonMapper json = new JacksonJsonMapper();
        storage = SqlStorageProviderFactory.using(dataSource);
        storage.setJobMapper(new JobMapper(json));
        // a 30 s poll: every step in these tests is started by the local wake-up and timers, long before a poll
        server = new BackgroundJobServer(storage, json, null,
                usingStandardBackgroundJobServerConfiguration().andPollInterval(Duration.ofSeconds(30)).andWorkerCount(4));
        server.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.isRunning() && !server.isNotReadyToProcessJobs());
        ops = DurableOps.builder()
                .dataSource(dataSource)
                .encryptor(AesGcmEncryptor.of("k1", KEY))
                .dispatcher(JobRunrDispatcher.using(storage, server))
                .register(definitions)
                .build();
    }

    @Override
    public void close() {
        ops.close();
        server.stop();
        storage.close();
    }
}

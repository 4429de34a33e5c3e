package io.durableops.jobrunr;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationDefinition;
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
 * A real JobRunr server on a test database, with a Durable Ops runtime dispatching to it. Shared with other modules'
 * tests through this module's test-jar.
 */
public final class JobRunrHarness implements AutoCloseable {
    public static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    public final StorageProvider storage;
    public final BackgroundJobServer server;
    public final DurableOps ops;

    public JobRunrHarness(DataSource dataSource, Duration pollInterval, OperationDefinition... definitions) {
        this(dataSource, pollInterval, io.durableops.core.FastPath.off(), definitions);
    }

    public JobRunrHarness(DataSource dataSource, Duration pollInterval, io.durableops.core.FastPath fastPath, OperationDefinition... definitions) {
        this(dataSource, pollInterval, fastPath, null, definitions);
    }

    /**
     * As above; with {@code shutdown} set, JobRunr interrupts its running jobs that long after {@code server.stop()}, and
     * Durable Ops drains for that long on close, offers an undispatched attempt again after a second, and one whose job
     * was lost (taken by a server that stopped before running it) after its 5 s lease.
     */
    public JobRunrHarness(DataSource dataSource, Duration pollInterval, io.durableops.core.FastPath fastPath, Duration shutdown,
                          OperationDefinition... definitions) {
        JacksonJsonMapper json = new JacksonJsonMapper();
        storage = SqlStorageProviderFactory.using(dataSource);
        storage.setJobMapper(new JobMapper(json));
        org.jobrunr.server.BackgroundJobServerConfiguration configuration =
                usingStandardBackgroundJobServerConfiguration().andPollInterval(pollInterval).andWorkerCount(4);
        if (shutdown != null) configuration.andInterruptJobsAwaitDurationOnStopBackgroundJobServer(shutdown);
        server = new BackgroundJobServer(storage, json, null, configuration);
        server.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.isRunning() && !server.isNotReadyToProcessJobs());
        DurableOps.Builder builder = DurableOps.builder()
                .dataSource(dataSource)
                .encryptor(AesGcmEncryptor.of("k1", KEY))
                .dispatcher(JobRunrDispatcher.using(storage, server))
                .fastPath(fastPath)
                .register(definitions);
        if (shutdown != null) builder.drainTimeout(shutdown).dispatchGrace(Duration.ofSeconds(1)).lease(Duration.ofSeconds(5));
        ops = builder.build();
    }

    @Override
    public void close() {
        ops.close();
        server.stop();
        storage.close();
    }
}

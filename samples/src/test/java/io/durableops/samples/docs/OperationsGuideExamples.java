package io.durableops.samples.docs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationDefinition;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import java.time.Duration;
import java.util.List;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * The node set-up of docs/operations-guide.md, compiled with the tests; the reliability suite's worker
 * (samples' ReliabilityWorker) runs the same set-up in three processes.
 */
final class OperationsGuideExamples {
    private OperationsGuideExamples() {
    }

    static DurableOps node(String url, String nodeName, int jobRunrWorkers, List<OperationDefinition> definitions) {
        // tag::node[]
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);                           // jdbc:mysql://db:3306/app
        config.setMaximumPoolSize(2 * jobRunrWorkers + 4);
        config.setConnectionTimeout(5_000);               // fail fast while the database is away
        HikariDataSource dataSource = new HikariDataSource(config);

        StorageProvider storage = SqlStorageProviderFactory.using(dataSource);
        storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
        BackgroundJobServer server = new BackgroundJobServer(storage, new JacksonJsonMapper(), null,
                usingStandardBackgroundJobServerConfiguration().andName(nodeName).andPollInterval(Duration.ofSeconds(5)).andWorkerCount(jobRunrWorkers));
        server.start();

        DurableOps ops = DurableOps.builder()
                .dataSource(dataSource)
                .encryptor(AesGcmEncryptor.of("2026-11", System.getenv("DURABLE_OPS_KEY")))
                .register(definitions)                        // the same definitions on every node
                .dispatcher(JobRunrDispatcher.using(storage, server))
                .lease(Duration.ofSeconds(15))                // see "A node dies" below
                .build();
        // end::node[]
        return ops;
    }
}

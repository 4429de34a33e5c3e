package io.durableops.bench;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.time.Duration;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * A real JobRunr BackgroundJobServer on a DataSource, built without the static {@code JobRunr.configure()} (as in
 * the adapter's test harness), with the benchmark's settings: 8 workers and a 5 s poll interval.
 */
final class JobRunrServer implements AutoCloseable {
    final StorageProvider storage;
    final BackgroundJobServer server;

    JobRunrServer(DataSource dataSource, int workers, Duration pollInterval) {
        JacksonJsonMapper json = new JacksonJsonMapper();
        storage = SqlStorageProviderFactory.using(dataSource);
        storage.setJobMapper(new JobMapper(json));
        server = new BackgroundJobServer(storage, json, null,
                usingStandardBackgroundJobServerConfiguration().andPollInterval(pollInterval).andWorkerCount(workers));
        server.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!server.isRunning() || server.isNotReadyToProcessJobs()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("JobRunr's server did not start within 60 s");
            Micros.sleepMillis(20);
        }
    }

    @Override
    public void close() {
        server.stop();
        storage.close();
    }
}

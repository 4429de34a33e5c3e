package io.durableops.samples.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.FastPath;
import io.durableops.core.OperationDefinition;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * One worker node of the reliability suite ({@code reliability/run}): a JobRunr background job server and a Durable
 * Ops runtime on a MariaDB/MySQL database, with the suite's workload and poison definitions. Several of these run
 * side by side as separate processes; the driver kills them with SIGKILL and stops the database under them.
 *
 * <pre>
 * java -cp ... io.durableops.samples.reliability.ReliabilityWorker --url jdbc:mysql://127.0.0.1:3407/reliability?user=root \
 *      --name worker-1 --key-id rel-1 --key BASE64 [--threads 4] [--poll-seconds 5] [--lease-seconds 5] [--jobrunr-guard off]
 *      [--build new] [--drain-seconds 30] [--stranded-grace-seconds 300]
 * </pre>
 *
 * Prints {@code READY <name>} once it takes work. Everything a node needs is in {@link #start}: a production node
 * looks the same, with its own definitions.
 */
public final class ReliabilityWorker implements AutoCloseable {
    private final String name;
    private final HikariDataSource dataSource;
    private final StorageProvider storage;
    private final BackgroundJobServer server;
    private final DurableOps ops;

    private ReliabilityWorker(Map<String, String> options) {
        this.name = options.getOrDefault("name", "worker");
        int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
        Duration poll = Duration.ofSeconds(Long.parseLong(options.getOrDefault("poll-seconds", "5")));
        Duration lease = Duration.ofSeconds(Long.parseLong(options.getOrDefault("lease-seconds", "5")));

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(require(options, "url"));
        config.setPoolName(name);
        // per JobRunr worker: the step's own connection, plus one for what the step does itself (its effects row);
        // plus the relay, lease renewal and JobRunr's own zookeeper threads
        config.setMaximumPoolSize(2 * threads + 4);
        config.setConnectionTimeout(5_000);  // why: fail fast while the database is down, instead of 30 s per attempt
        config.setValidationTimeout(2_000);
        this.dataSource = new HikariDataSource(config);

        JacksonJsonMapper json = new JacksonJsonMapper();
        this.storage = SqlStorageProviderFactory.using(dataSource);
        storage.setJobMapper(new JobMapper(json));
        this.server = new BackgroundJobServer(storage, json, null,
                usingStandardBackgroundJobServerConfiguration().andName(name).andPollInterval(poll).andWorkerCount(threads));
        server.start();

        Effects effects = new Effects(dataSource, name);
        List<OperationDefinition> definitions = new ArrayList<>();
        definitions.add(new Workload(effects));
        // "--build new": the new build of the rolling deploy, with version 2 of the workload beside version 1
        if ("new".equals(options.get("build"))) definitions.add(Workload.renamed(effects));
        definitions.addAll(Poison.definitions());
        this.ops = DurableOps.builder()
                .dataSource(dataSource)
                .encryptor(AesGcmEncryptor.of(require(options, "key-id"), require(options, "key")))
                .register(definitions)
                // JobRunr's server stops for good in a long database outage; the dispatcher starts it again.
                // "--jobrunr-guard off" only shows what happens without that (reliability/run with RELIABILITY_JOBRUNR_GUARD=off)
                .dispatcher(JobRunrDispatcher.using(storage, server,
                        JobRunrDispatcher.settings().keepServerRunning(!"off".equals(options.get("jobrunr-guard")))))
                .lease(lease)
                // "--fast-path on": this node runs due next steps itself (and keeps claimed RUNNING attempts that a
                // kill must leave to the lease), beside nodes with one JobRunr job per step
                .fastPath("on".equals(options.get("fast-path")) ? FastPath.defaults() : FastPath.off())
                .relayInterval(Duration.ofSeconds(1))
                .drainTimeout(Duration.ofSeconds(Long.parseLong(options.getOrDefault("drain-seconds", "30"))))
                .strandedGrace(Duration.ofSeconds(Long.parseLong(options.getOrDefault("stranded-grace-seconds", "300"))))
                .build();
    }

    /** Starts a worker node as configured by {@code --option value} pairs. */
    public static ReliabilityWorker start(Map<String, String> options) {
        return new ReliabilityWorker(options);
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = parse(args);
        ReliabilityWorker worker = start(options);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stop.countDown();
        }));
        System.out.println("READY " + worker.name + " pid " + ProcessHandle.current().pid());
        stop.await();
    }

    @Override
    public void close() {
        ops.close();
        server.stop();
        storage.close();
        dataSource.close();
    }

    private void log(String message) {
        System.out.println(LocalTime.now() + " [" + name + "] " + message);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) throw new IllegalArgumentException("--" + key + " is required");
        return value;
    }
}

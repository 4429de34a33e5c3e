package io.durableops.admin;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.ConfigurationException;
import io.durableops.core.DurableOps;
import io.durableops.core.Encryptor;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The admin UI on its own, against the database of a Durable Ops application:
 *
 * <pre>
 * DURABLE_OPS_KEY=... java -cp durable-ops-admin-ui.jar:... io.durableops.admin.AdminMain \
 *     --jdbc-url 'jdbc:mysql://db:3306/app?user=ops' --users users.properties --key-id 2026-11 [--bind 127.0.0.1] [--port 7070]
 *     [--key-file key.txt] [--db-user U] [--db-password-env VAR] [--runtime-name default] [--secure-cookies] [--no-migrate] [--plaintext]
 *     [--jobrunr-dashboard http://jobrunr:8000]
 * </pre>
 *
 * It reads and steers operations through the same tables; a retried step is enqueued into JobRunr's tables (no
 * JobRunr server runs here) and run by the application's nodes. {@code --runtime-name} must match the application's
 * {@code DurableOps.builder().name(...)} (default "default"). Retry from a step needs the definition's steps, which
 * only the application knows: embed the UI in the application for that action. {@code --jobrunr-dashboard} links each
 * step to its job in JobRunr's dashboard at that address (see {@link AdminUi.Builder#jobRunrDashboard}).
 */
public final class AdminMain {
    private AdminMain() {
    }

    public static void main(String[] args) throws Exception {
        Standalone running = start(args);
        System.out.println("Durable Ops admin UI: " + running.url());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** A running standalone admin UI with its connection pool; close it to stop both. */
    public static final class Standalone implements AutoCloseable {
        private final AdminUi ui;
        private final DurableOps ops;
        private final StorageProvider storage;
        private final HikariDataSource dataSource;

        private Standalone(AdminUi ui, DurableOps ops, StorageProvider storage, HikariDataSource dataSource) {
            this.ui = ui;
            this.ops = ops;
            this.storage = storage;
            this.dataSource = dataSource;
        }

        public String url() {
            return ui.url();
        }

        @Override
        public void close() {
            ui.close();
            ops.close();
            storage.close();
            dataSource.close();
        }
    }

    /** Starts the standalone UI with the command line's options (see the class comment) and returns at once. */
    public static Standalone start(String... args) {
        Map<String, String> options = options(args);
        String url = require(options, "jdbc-url");
        PasswordUsers users = PasswordUsers.load(Path.of(require(options, "users")));
        Encryptor encryptor = encryptor(options);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (options.containsKey("db-user")) config.setUsername(options.get("db-user"));
        String passwordEnv = options.getOrDefault("db-password-env", "DURABLE_OPS_DB_PASSWORD");
        if (System.getenv(passwordEnv) != null) config.setPassword(System.getenv(passwordEnv));
        config.setMaximumPoolSize(4);
        HikariDataSource dataSource = new HikariDataSource(config);

        StorageProvider storage = SqlStorageProviderFactory.using(dataSource);
        storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
        DurableOps ops = DurableOps.builder()
                .name(options.getOrDefault("runtime-name", "default"))
                .dataSource(dataSource)
                .encryptor(encryptor)
                .dispatcher(JobRunrDispatcher.using(storage, null))
                .relayInterval(Duration.ZERO) // the application's nodes run the relay
                .migrate(!options.containsKey("no-migrate"))
                .build();
        AdminUi.Builder builder = AdminUi.builder(ops);
        if (options.containsKey("jobrunr-dashboard")) builder.jobRunrDashboard(options.get("jobrunr-dashboard"));
        AdminUi ui = builder
                .users(users)
                .bind(options.getOrDefault("bind", "127.0.0.1"), Integer.parseInt(options.getOrDefault("port", "7070")))
                .secureCookies(options.containsKey("secure-cookies"))
                .start();
        return new Standalone(ui, ops, storage, dataSource);
    }

    private static Encryptor encryptor(Map<String, String> options) {
        if (options.containsKey("plaintext")) return Encryptor.plaintext();
        String keyEnv = options.getOrDefault("key-env", "DURABLE_OPS_KEY");
        String key = System.getenv(keyEnv);
        if (options.containsKey("key-file")) {
            try {
                key = java.nio.file.Files.readString(Path.of(options.get("key-file"))).trim();
            } catch (java.io.IOException e) {
                throw new ConfigurationException("cannot read --key-file " + options.get("key-file") + ": " + e.getMessage());
            }
        }
        if (key == null || key.isBlank()) {
            throw new ConfigurationException("set " + keyEnv + " (or --key-file) to the application's base64 AES key and --key-id to its id, "
                    + "or pass --plaintext if the application stores data unencrypted");
        }
        return AesGcmEncryptor.of(require(options, "key-id"), key);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new ConfigurationException("unexpected argument '" + args[i] + "'");
            String name = args[i].substring(2);
            boolean flag = name.equals("plaintext") || name.equals("no-migrate") || name.equals("secure-cookies");
            if (flag) {
                options.put(name, "true");
            } else {
                if (i + 1 >= args.length) throw new ConfigurationException("--" + name + " needs a value");
                options.put(name, args[++i]);
            }
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("--" + name + " is required. Usage: AdminMain --jdbc-url URL --users users.properties "
                    + "--key-id ID (key in $DURABLE_OPS_KEY or --key-file F) | --plaintext  [--db-user U] [--bind 127.0.0.1] [--port 7070] "
                    + "[--runtime-name default] [--secure-cookies] [--no-migrate] [--jobrunr-dashboard URL]");
        }
        return value;
    }
}

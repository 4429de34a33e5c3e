package io.durableops.spring;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.ConfigurationException;
import io.durableops.core.DurableOps;
import io.durableops.core.Encryptor;
import io.durableops.core.FastPath;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationScheduler;
import io.durableops.core.Schedules;
import io.durableops.jobrunr.JobRunrDispatcher;
import io.durableops.jobrunr.StepJobRequestHandler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration;
import org.jobrunr.spring.autoconfigure.storage.JobRunrSqlStorageAutoConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds the Durable Ops runtime of a Spring Boot application from its {@code DataSource} and the beans of JobRunr's
 * Spring Boot starter, registers every {@link OperationDefinition} bean, and exposes {@link OperationScheduler} (which
 * joins the caller's Spring transaction), {@link OperationAdmin} and {@link Schedules}. It also registers the
 * {@link StepJobRequestHandler} bean JobRunr's Spring job activator asks for, and closes the runtime before JobRunr's
 * server stops ({@link DurableOpsLifecycle}).
 *
 * <p>why after Flyway and Liquibase, and {@code @DependsOnDatabaseInitialization}: the application's own migrations run
 * first, on a schema still without our tables, so a Boot Flyway set-up that has no history table yet does not find a
 * "non-empty schema"; ours run next, with a history table of their own ({@code durable_ops_schema_history}) and their own
 * location, and baseline themselves beside the application's tables.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class, LiquibaseAutoConfiguration.class,
        JobRunrSqlStorageAutoConfiguration.class, JobRunrAutoConfiguration.class},
        afterName = {"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass({DurableOps.class, JobRunrDispatcher.class, StorageProvider.class})
@ConditionalOnBean({DataSource.class, StorageProvider.class})
@ConditionalOnProperty(prefix = "durable-ops", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DurableOpsProperties.class)
@Import({DurableOpsTelemetryConfiguration.class, DurableOpsHealthConfiguration.class, DurableOpsAdminUiConfiguration.class})
public class DurableOpsAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(DurableOpsAutoConfiguration.class);

    /** What JobRunr's job activator (the Spring context under JobRunr's starter) creates to run each step's job. */
    @Bean
    @ConditionalOnMissingBean
    public StepJobRequestHandler stepJobRequestHandler() {
        return new StepJobRequestHandler();
    }

    /**
     * Builds the runtime and owns it: closes it when the application stops, or when a start-up that failed after it was
     * built destroys the beans (why one bean for both: a lifecycle bean of its own might not exist yet when a later bean
     * fails, and the runtime would keep its name and threads).
     */
    @Bean
    @ConditionalOnMissingBean(DurableOps.class)
    @DependsOnDatabaseInitialization
    DurableOpsLifecycle durableOpsLifecycle(DataSource dataSource, StorageProvider storageProvider, ObjectProvider<BackgroundJobServer> server,
                                            DurableOpsProperties properties, ObjectProvider<Encryptor> encryptor,
                                            ObjectProvider<OperationDefinition> definitions, ObjectProvider<DurableOpsBuilderCustomizer> customizers) {
        BackgroundJobServer here = server.getIfAvailable();
        if (here == null) {
            LOG.info("no JobRunr BackgroundJobServer bean (jobrunr.background-job-server.enabled=false): this node only enqueues; "
                    + "steps run on nodes that have one");
        }
        DurableOps.Builder builder = DurableOps.builder()
                .name(properties.getName())
                .dataSource(dataSource)
                .encryptor(encryptor.getIfAvailable(() -> encryptor(properties.getEncryption())))
                .dispatcher(JobRunrDispatcher.using(storageProvider, here))
                .migrate(properties.isMigrate())
                .relayInterval(properties.getRelayInterval())
                .drainTimeout(properties.getDrainTimeout())
                .retention(retention(properties.getRetention()))
                .lease(properties.getLease())
                .strandedGrace(properties.getStrandedGrace())
                .fastPath(fastPath(properties.getFastPath()));
        if (properties.getFastPath().getTurns() != null) builder.fastPathTurns(properties.getFastPath().getTurns());
        builder.register(definitions.orderedStream().toList());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return new DurableOpsLifecycle(builder.build());
    }

    /** The runtime; closed by {@link DurableOpsLifecycle}, hence no destroy method of its own. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public DurableOps durableOps(DurableOpsLifecycle lifecycle) {
        return lifecycle.durableOps();
    }

    /** Joins the caller's Spring transaction on enqueue (see {@link SpringOperationScheduler}). */
    @Bean
    @ConditionalOnMissingBean(OperationScheduler.class)
    public SpringOperationScheduler operationScheduler(DurableOps durableOps, DataSource dataSource) {
        return new SpringOperationScheduler(durableOps.scheduler(), dataSource);
    }

    @Bean
    @ConditionalOnMissingBean(OperationAdmin.class)
    public OperationAdmin operationAdmin(DurableOps durableOps) {
        return durableOps.admin();
    }

    @Bean
    @ConditionalOnMissingBean(Schedules.class)
    public Schedules durableOpsSchedules(DurableOps durableOps) {
        return durableOps.schedules();
    }

    static Encryptor encryptor(DurableOpsProperties.Encryption encryption) {
        Map<String, String> keys = encryption.getKeys();
        if (keys.isEmpty()) {
            if (encryption.isPlaintext()) return Encryptor.plaintext();
            throw new ConfigurationException("Durable Ops needs encryption keys: set durable-ops.encryption.primary-key-id and "
                    + "durable-ops.encryption.keys.<id>=<base64 AES-256 key> (AesGcmEncryptor.generateKey() makes one), declare an "
                    + "io.durableops.core.Encryptor bean, or set durable-ops.encryption.plaintext=true to store data unencrypted on purpose");
        }
        String primary = encryption.getPrimaryKeyId();
        if (primary == null && keys.size() == 1) primary = keys.keySet().iterator().next();
        if (primary == null || !keys.containsKey(primary)) {
            throw new ConfigurationException("durable-ops.encryption.primary-key-id must name one of durable-ops.encryption.keys "
                    + List.copyOf(keys.keySet()) + ", was " + primary);
        }
        AesGcmEncryptor.Builder aes = AesGcmEncryptor.builder().primaryKey(primary, keys.get(primary));
        for (Map.Entry<String, String> key : keys.entrySet()) {
            if (!key.getKey().equals(primary)) aes.oldKey(key.getKey(), key.getValue());
        }
        return aes.build();
    }

    private static Duration retention(Duration retention) {
        return retention == null || retention.isZero() ? null : retention;
    }

    private static FastPath fastPath(DurableOpsProperties.FastPathProperties fastPath) {
        return fastPath.isEnabled() ? FastPath.upTo(fastPath.getMaxSteps(), fastPath.getMaxTime()) : FastPath.off();
    }
}

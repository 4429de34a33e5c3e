package io.durableops.spring;

import io.durableops.core.ConfigurationException;
import io.durableops.core.DurableOps;
import io.durableops.core.Encryptor;
import io.durableops.core.OperationScheduler;
import org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration;
import org.jobrunr.spring.autoconfigure.storage.JobRunrSqlStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code durable-ops.*} binds, is described in the generated metadata, and a wrong configuration stops start-up with what to do. */
class PropertiesTest {
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    JobRunrSqlStorageAutoConfiguration.class, JobRunrAutoConfiguration.class, DurableOpsAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:properties-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void everyPropertyBinds() {
        runner.withPropertyValues("durable-ops.name=billing", "durable-ops.migrate=true", "durable-ops.relay-interval=250ms",
                        "durable-ops.drain-timeout=3s", "durable-ops.retention=7d", "durable-ops.lease=20s", "durable-ops.stranded-grace=2m",
                        "durable-ops.encryption.primary-key-id=k2", "durable-ops.encryption.keys.k1=" + KEY, "durable-ops.encryption.keys.k2=" + KEY,
                        "durable-ops.fast-path.enabled=true", "durable-ops.fast-path.max-steps=8", "durable-ops.fast-path.max-time=500ms",
                        "durable-ops.fast-path.turns=3", "durable-ops.admin-ui.port=0", "durable-ops.admin-ui.host=127.0.0.2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DurableOpsProperties p = context.getBean(DurableOpsProperties.class);
                    assertThat(p.getName()).isEqualTo("billing");
                    assertThat(p.getRelayInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.getDrainTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getRetention()).isEqualTo(Duration.ofDays(7));
                    assertThat(p.getLease()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(p.getStrandedGrace()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(p.getEncryption().getKeys()).containsOnlyKeys("k1", "k2");
                    assertThat(p.getFastPath().getMaxSteps()).isEqualTo(8);
                    assertThat(p.getFastPath().getMaxTime()).isEqualTo(Duration.ofMillis(500));
                    assertThat(p.getFastPath().getTurns()).isEqualTo(3);
                    assertThat(p.getAdminUi().getPort()).isZero();
                    assertThat(p.getAdminUi().getHost()).isEqualTo("127.0.0.2");
                    assertThat(p.getEncryption().toString()).doesNotContain(KEY);
                    assertThat(context.getBean(DurableOps.class).name()).isEqualTo("billing");
                    assertThat(context.getBean(DurableOps.class).databaseDialect()).isEqualTo("H2");
                    assertThat(context).hasSingleBean(OperationScheduler.class).doesNotHaveBean("durableOpsAdminUi");
                });
    }

    @Test
    void noKeysStopsStartUpAndSaysWhatToSet() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause.getCause() != null && !(cause instanceof ConfigurationException)) cause = cause.getCause();
            assertThat(cause).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("durable-ops.encryption.keys").hasMessageContaining("durable-ops.encryption.plaintext=true");
        });
    }

    @Test
    void aPrimaryKeyIdThatNamesNoKeyStopsStartUp() {
        runner.withPropertyValues("durable-ops.encryption.primary-key-id=k9", "durable-ops.encryption.keys.k1=" + KEY).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("durable-ops.encryption.primary-key-id must name one of");
        });
    }

    @Test
    void anEncryptorBeanOfTheApplicationWins() {
        Encryptor own = Encryptor.plaintext();
        runner.withBean(Encryptor.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(DurableOps.class);
        });
    }

    @Test
    void disabledBuildsNothing() {
        runner.withPropertyValues("durable-ops.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DurableOps.class).doesNotHaveBean(OperationScheduler.class);
        });
    }

    @Test
    void theMetadataDescribesTheProperties() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(metadata).contains("\"durable-ops.encryption.keys\"", "\"durable-ops.encryption.primary-key-id\"",
                "\"durable-ops.fast-path.enabled\"", "\"durable-ops.retention\"", "\"durable-ops.relay-interval\"",
                "\"durable-ops.drain-timeout\"", "\"durable-ops.admin-ui.enabled\"", "\"durable-ops.admin-ui.port\"", "\"durable-ops.migrate\"",
                "How long a graceful shutdown lets running steps finish");
    }
}

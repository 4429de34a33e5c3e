package io.durableops.spring;

import io.durableops.core.DurableOps;
import org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration;
import org.jobrunr.spring.autoconfigure.storage.JobRunrSqlStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with no migrations of its own: Boot's Flyway auto-configuration is still on (Flyway is on the
 * classpath through durable-ops-core) but finds nothing to run, and does not stop start-up or touch our schema.
 */
class NoAppMigrationsTest {
    @Test
    void bootsFlywayWithNothingToMigrateLeavesOursAlone() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                        JobRunrSqlStorageAutoConfiguration.class, JobRunrAutoConfiguration.class, DurableOpsAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:no-app-migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "spring.flyway.locations=classpath:no/such/migrations", "durable-ops.encryption.plaintext=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(org.flywaydb.core.Flyway.class).hasSingleBean(DurableOps.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"durable_ops_schema_history\" WHERE \"type\" = 'SQL'", Integer.class))
                            .isPositive();
                    // Boot's Flyway creates its history table all the same, empty of migrations
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'", Integer.class))
                            .isZero();
                });
    }

    @Test
    void bootsFlywayTurnedOnLaterOverOurTablesStopsStartUpUnlessItBaselines() {
        String url = "spring.datasource.url=jdbc:h2:mem:flyway-later-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                        JobRunrSqlStorageAutoConfiguration.class, JobRunrAutoConfiguration.class, DurableOpsAutoConfiguration.class))
                .withPropertyValues(url, "spring.flyway.locations=classpath:db/migration", "durable-ops.encryption.plaintext=true");
        runner.withPropertyValues("spring.flyway.enabled=false").run(context -> assertThat(context).hasNotFailed());

        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("non-empty schema");
        });
        runner.withPropertyValues("spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0").run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'", String.class))
                    .as("the application's V1 still runs above the baseline").containsExactly("V1__app_customers.sql");
        });
    }
}

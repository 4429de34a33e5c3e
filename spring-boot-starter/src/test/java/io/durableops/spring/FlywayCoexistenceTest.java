package io.durableops.spring;

import io.durableops.spring.testapp.TestApplication;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Boot's Flyway auto-configuration active for the application's own migration ({@code db/migration/V1__app_customers.sql}
 * on the test classpath), both schemas are created and neither history table holds the other's migrations. The
 * application's Flyway runs first, on a schema without our tables (see DurableOpsAutoConfiguration), so it needs no
 * baseline; ours baselines beside it.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:flyway-coexistence;DB_CLOSE_DELAY=-1",
        "jobrunr.background-job-server.enabled=true",
        "durable-ops.encryption.plaintext=true"})
@DirtiesContext
class FlywayCoexistenceTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Flyway bootsFlyway;

    @Test
    void bootsFlywayMigratesTheApplicationAndOursMigratesOurs() {
        assertThat(bootsFlyway.getConfiguration().getTable()).isEqualTo("flyway_schema_history");

        // type SQL: the migrations, not the marker row Flyway writes when it creates a history table
        List<String> applications = jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"", String.class);
        List<String> ours = jdbc.queryForList("SELECT \"script\" FROM \"durable_ops_schema_history\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"", String.class);

        assertThat(applications).containsExactly("V1__app_customers.sql");
        assertThat(ours).contains("V1__operations_and_attempts.sql", "V13__schedules.sql").doesNotContain("V1__app_customers.sql");
        assertThat(jdbc.update("INSERT INTO app_customers (id, name) VALUES (?, ?)", 1, "Ada")).isOne();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM durable_operations", Integer.class)).isZero();
    }
}

package io.durableops.samples.spring;

import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on MariaDB ({@code -Ddurableops.test.mysql.url}); under CI an unreachable database fails, elsewhere the
 * class is skipped, loudly (core's TestDatabase, which also empties Durable Ops' and JobRunr's tables first).
 */
class MariaDbSubscriptionAppTest extends SubscriptionAppContractTest {
    private static String url;

    @BeforeAll
    static void database() {
        try (TestDatabase db = TestDatabase.mariaDb()) {
            url = db.jdbcUrl();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.hikari.connection-init-sql", () -> "SET time_zone = '+05:30'");
    }
}

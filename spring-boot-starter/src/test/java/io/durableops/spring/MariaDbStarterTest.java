package io.durableops.spring;

import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter on MariaDB ({@code -Ddurableops.test.mysql.url}). why no Flyway of the application here: the shared test
 * database already holds Durable Ops' tables from other suites, which Boot's Flyway would take for an unmanaged schema.
 */
class MariaDbStarterTest extends StarterContractTest {
    private static String url;

    @BeforeAll
    static void database() {
        url = ServerDatabase.url(TestDatabase::mariaDb);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.hikari.connection-init-sql", () -> "SET time_zone = '+05:30'");
        registry.add("spring.flyway.enabled", () -> "false");
    }
}

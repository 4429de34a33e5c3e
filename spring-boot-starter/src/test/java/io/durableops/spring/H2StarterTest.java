package io.durableops.spring;

import org.springframework.test.context.TestPropertySource;

/** The starter on an H2 DataSource that Spring Boot makes (no URL), in a non-UTC session time zone. */
@TestPropertySource(properties = "spring.datasource.hikari.connection-init-sql=SET TIME ZONE 'Asia/Kolkata'")
class H2StarterTest extends StarterContractTest {
}

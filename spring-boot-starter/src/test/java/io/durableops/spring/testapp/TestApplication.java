package io.durableops.spring.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application as a user writes it: JobRunr's starter, ours and a DataSource from {@code spring.datasource.*}; its own
 * beans are an operation definition and a {@code @Transactional} service, nothing for Durable Ops or JobRunr.
 */
@SpringBootApplication
public class TestApplication {
}

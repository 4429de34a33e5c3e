package io.durableops.spring;

import io.durableops.core.test.TestDatabase;

import java.util.function.Supplier;

/**
 * The MariaDB or PostgreSQL URL a server subclass hands to Spring Boot ({@code spring.datasource.url}), found as core's
 * {@link TestDatabase} finds it: under CI an unreachable database fails, elsewhere the class is skipped, loudly. Its
 * Durable Ops and JobRunr tables are emptied first.
 */
final class ServerDatabase {
    private ServerDatabase() {
    }

    static String url(Supplier<TestDatabase> database) {
        try (TestDatabase db = database.get()) {
            return db.jdbcUrl();
        }
    }
}

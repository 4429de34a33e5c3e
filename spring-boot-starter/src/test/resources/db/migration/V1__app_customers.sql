-- The application's own schema, migrated by Spring Boot's Flyway auto-configuration (history: flyway_schema_history).
CREATE TABLE app_customers (
    id   BIGINT PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);

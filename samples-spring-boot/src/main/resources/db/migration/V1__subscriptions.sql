-- The application's own table, migrated by Spring Boot's Flyway (history: flyway_schema_history); Durable Ops keeps its
-- own migrations and history table (durable_ops_schema_history).
CREATE TABLE subscriptions (
    id    BIGINT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    plan  VARCHAR(20)  NOT NULL
);

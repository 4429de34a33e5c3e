-- MySQL/MariaDB only: every text column is utf8mb4 and every name and key compares byte for byte. The columns had
-- inherited the server's or the database's defaults: under MariaDB's utf8mb4_general_ci 'req-AbC123' = 'req-abc123',
-- 'req-7' = 'req-7 ', 'req-e' = 'req-é' and every emoji equals every other, so two requests with distinct idempotency
-- keys became one operation; in a latin1 database a reason with an emoji could not be stored at all. ${binary} names
-- the character set and a binary collation without trailing-space padding, chosen by the dialect (MariaDB:
-- utf8mb4_nopad_bin; MySQL 8: utf8mb4_0900_bin). Later migrations write ${binary} on each text column they add.
ALTER TABLE durable_operations
    MODIFY definition      VARCHAR(200)  ${binary} NOT NULL,
    MODIFY status          VARCHAR(16)   ${binary} NOT NULL,
    MODIFY current_step    VARCHAR(200)  ${binary},
    MODIFY failure_reason  VARCHAR(2000) ${binary},
    MODIFY idempotency_key VARCHAR(200)  ${binary};
ALTER TABLE durable_attempts
    MODIFY step             VARCHAR(200)  ${binary} NOT NULL,
    MODIFY status           VARCHAR(16)   ${binary} NOT NULL,
    MODIFY last_error_class VARCHAR(500)  ${binary},
    MODIFY reason           VARCHAR(2000) ${binary};
ALTER TABLE durable_attempt_errors
    MODIFY error_class VARCHAR(500) ${binary} NOT NULL;
ALTER TABLE durable_signals
    MODIFY name VARCHAR(200) ${binary} NOT NULL;
ALTER TABLE durable_search_attributes
    MODIFY name       VARCHAR(100) ${binary} NOT NULL,
    MODIFY definition VARCHAR(200) ${binary} NOT NULL,
    MODIFY attr_value VARCHAR(200) ${binary};
ALTER TABLE durable_audit
    MODIFY actor          VARCHAR(200)  ${binary} NOT NULL,
    MODIFY action         VARCHAR(40)   ${binary} NOT NULL,
    MODIFY detail         VARCHAR(2000) ${binary},
    MODIFY client_address VARCHAR(100)  ${binary};
ALTER TABLE durable_staged_work
    MODIFY kind             VARCHAR(100)  ${binary} NOT NULL,
    MODIFY set_aside_reason VARCHAR(2000) ${binary};

-- Idempotency keys are unique per definition: a second enqueue with the same key finds the first operation.
-- (NULL keys never collide.)
CREATE UNIQUE INDEX durable_operations_idempotency ON durable_operations (definition, idempotency_key);

-- Work a step staged (acidic_job's perform_transactionally): written in the transaction that records the step's
-- completion, handed to the dispatcher only after that commit, deleted once the dispatcher took it.
CREATE TABLE durable_staged_work (
    id           CHAR(36)      NOT NULL,
    operation_id CHAR(36)      NOT NULL,
    attempt_id   CHAR(36)      NOT NULL,
    kind         VARCHAR(100)  NOT NULL,
    payload      ${blob}       NOT NULL,
    created_at   ${ts}         NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT durable_staged_work_operation_fk FOREIGN KEY (operation_id) REFERENCES durable_operations (id) ON DELETE CASCADE
);
CREATE INDEX durable_staged_work_created ON durable_staged_work (created_at);

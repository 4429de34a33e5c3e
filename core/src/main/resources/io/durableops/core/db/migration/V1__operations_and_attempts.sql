-- Durable Ops schema, version 1. Rendered per database with the placeholders of its dialect class:
-- ${ts} a UTC timestamp with microseconds, ${blob} encrypted bytes.
-- Every timestamp is stored in UTC. Everything a user passes in is stored encrypted (${blob} columns).

CREATE TABLE durable_operations (
    id                 CHAR(36)      NOT NULL,
    definition         VARCHAR(200)  NOT NULL,
    definition_version INT           NOT NULL,
    status             VARCHAR(16)   NOT NULL,
    current_step       VARCHAR(200),
    current_attempt_id CHAR(36),
    globals            ${blob},
    results            ${blob},
    failure_reason     VARCHAR(2000),
    idempotency_key    VARCHAR(200),
    parent_id          CHAR(36),
    created_at         ${ts}         NOT NULL,
    updated_at         ${ts}         NOT NULL,
    finished_at        ${ts},
    deadline_at        ${ts},
    delete_after       ${ts},
    PRIMARY KEY (id)
);
CREATE INDEX durable_operations_status ON durable_operations (status, created_at);
CREATE INDEX durable_operations_definition ON durable_operations (definition, created_at);
CREATE INDEX durable_operations_created ON durable_operations (created_at);
CREATE INDEX durable_operations_parent ON durable_operations (parent_id);

-- One row per step visit (an attempt); its tries are counted in attempt_count and each failure is kept in
-- durable_attempt_errors. generation changes whenever the attempt is scheduled again (retry, run now,
-- recovery), so a stale dispatch of an older generation can never run it.
CREATE TABLE durable_attempts (
    id               CHAR(36)      NOT NULL,
    operation_id     CHAR(36)      NOT NULL,
    step             VARCHAR(200)  NOT NULL,
    visit            INT           NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    args             ${blob},
    generation       INT           NOT NULL,
    dispatch_pending SMALLINT      NOT NULL,
    attempt_count    INT           NOT NULL,
    scheduled_at     ${ts}         NOT NULL,
    started_at       ${ts},
    finished_at      ${ts},
    lease_until      ${ts},
    last_error_class VARCHAR(500),
    reason           VARCHAR(2000),
    created_at       ${ts}         NOT NULL,
    updated_at       ${ts}         NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT durable_attempts_operation_fk FOREIGN KEY (operation_id) REFERENCES durable_operations (id) ON DELETE CASCADE
);
CREATE INDEX durable_attempts_operation ON durable_attempts (operation_id, visit);
CREATE INDEX durable_attempts_dispatch ON durable_attempts (dispatch_pending, updated_at);
CREATE INDEX durable_attempts_lease ON durable_attempts (status, lease_until);

-- Every failure of every try: class in clear, message and stack trace encrypted.
CREATE TABLE durable_attempt_errors (
    attempt_id   CHAR(36)      NOT NULL,
    try_number   INT           NOT NULL,
    operation_id CHAR(36)      NOT NULL,
    error_class  VARCHAR(500)  NOT NULL,
    message      ${blob},
    stack_trace  ${blob},
    occurred_at  ${ts}         NOT NULL,
    PRIMARY KEY (attempt_id, try_number),
    CONSTRAINT durable_attempt_errors_attempt_fk FOREIGN KEY (attempt_id) REFERENCES durable_attempts (id) ON DELETE CASCADE
);
CREATE INDEX durable_attempt_errors_operation ON durable_attempt_errors (operation_id);

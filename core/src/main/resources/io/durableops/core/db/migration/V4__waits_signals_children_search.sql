-- When a wait step gives up (its timeout, counted from when the step was reached).
ALTER TABLE durable_attempts ADD COLUMN deadline_at ${ts};
-- Set when a signal or a finished child arrives while the wait step is being evaluated, so the wake-up is not lost.
ALTER TABLE durable_attempts ADD COLUMN wake_pending SMALLINT DEFAULT 0 NOT NULL;

-- The deadline sweep finds running operations whose deadline passed.
CREATE INDEX durable_operations_deadline ON durable_operations (status, deadline_at);

-- Signals sent to operations; kept until a wait step consumes them (a signal may arrive before its wait).
CREATE TABLE durable_signals (
    id           CHAR(36)      NOT NULL,
    operation_id CHAR(36)      NOT NULL,
    name         VARCHAR(200)  NOT NULL,
    payload      ${blob},
    received_at  ${ts}         NOT NULL,
    consumed_at  ${ts},
    consumed_by  CHAR(36),
    PRIMARY KEY (id),
    CONSTRAINT durable_signals_operation_fk FOREIGN KEY (operation_id) REFERENCES durable_operations (id) ON DELETE CASCADE
);
CREATE INDEX durable_signals_operation ON durable_signals (operation_id, name, consumed_at, received_at);

-- Declared search attributes: the only user values stored in clear, so operations can be found by them.
CREATE TABLE durable_search_attributes (
    operation_id CHAR(36)      NOT NULL,
    name         VARCHAR(100)  NOT NULL,
    definition   VARCHAR(200)  NOT NULL,
    attr_value   VARCHAR(200),
    PRIMARY KEY (operation_id, name),
    CONSTRAINT durable_search_attributes_operation_fk FOREIGN KEY (operation_id) REFERENCES durable_operations (id) ON DELETE CASCADE
);
CREATE INDEX durable_search_attributes_lookup ON durable_search_attributes (name, attr_value, definition);

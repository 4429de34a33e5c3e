-- Schedules (docs/flow-control.md): each tick starts one operation, once across all nodes. A node takes a due schedule's
-- row with a locking read, starts the tick's operation (idempotency key schedule:<name>:<tick>) and moves next_tick_at
-- in the same transaction, so a second node finds the tick done. The input is encrypted like an operation's;
-- last_error says why a schedule paused itself (its input no longer fits its definition, or cannot be decrypted).
CREATE TABLE durable_schedules (
    name              VARCHAR(200)  ${binary} NOT NULL,
    definition        VARCHAR(200)  ${binary} NOT NULL,
    timing            VARCHAR(300)  ${binary} NOT NULL,
    overlap_policy    VARCHAR(16)   ${binary} NOT NULL,
    catch_up          INT           NOT NULL,
    input             ${blob},
    paused            SMALLINT      NOT NULL,
    anchor_at         ${ts}         NOT NULL,
    next_tick_at      ${ts},
    last_tick_at      ${ts},
    last_operation_id CHAR(36),
    buffered_tick_at  ${ts},
    skipped_ticks     BIGINT        NOT NULL,
    last_error        VARCHAR(2000) ${binary},
    created_at        ${ts}         NOT NULL,
    updated_at        ${ts}         NOT NULL,
    PRIMARY KEY (name)
);
CREATE INDEX durable_schedules_due ON durable_schedules (paused, next_tick_at);

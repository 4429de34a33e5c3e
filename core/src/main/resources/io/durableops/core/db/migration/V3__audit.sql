-- Durable Ops schema, version 3: the audit trail of operator actions, and indexes for the admin UI's list.

-- Who did what to which operation, and when. Rows outlive the operation they name (no foreign key): an audit
-- trail must not vanish with the data it is about. sequence_no orders actions taken within one clock tick.
CREATE TABLE durable_audit (
    sequence_no  BIGINT        NOT NULL AUTO_INCREMENT,
    operation_id CHAR(36),
    actor        VARCHAR(200)  NOT NULL,
    action       VARCHAR(40)   NOT NULL,
    detail       VARCHAR(2000),
    occurred_at  ${ts}         NOT NULL,
    PRIMARY KEY (sequence_no)
);
CREATE INDEX durable_audit_operation ON durable_audit (operation_id, sequence_no);

-- The list is ordered newest first by (created_at, id) and paged by keyset on those two columns, alone or after
-- an equality filter on status or definition. These replace V1's (created_at), (status, created_at) and
-- (definition, created_at), which are their prefixes.
CREATE INDEX durable_operations_created_id ON durable_operations (created_at, id);
CREATE INDEX durable_operations_status_created_id ON durable_operations (status, created_at, id);
CREATE INDEX durable_operations_definition_created_id ON durable_operations (definition, created_at, id);
DROP INDEX durable_operations_created ON durable_operations;
DROP INDEX durable_operations_status ON durable_operations;
DROP INDEX durable_operations_definition ON durable_operations;

-- "Find the operation of order-7" without the definition name (V2's unique index starts with the definition).
CREATE INDEX durable_operations_idempotency_key ON durable_operations (idempotency_key);

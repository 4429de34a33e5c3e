-- The nodes of a cluster, each with what it can run (its definitions, their versions and steps), as it said at its
-- last heartbeat. During a rolling deploy nodes run different builds: an attempt whose step a node lacks is handed
-- back for a node that has it (durable_attempts.dispatch_pending = 3), and an operation no live node can go on with is
-- PAUSED, visibly, after a grace (docs/upgrading.md).
CREATE TABLE durable_nodes (
    id            CHAR(36)     NOT NULL,
    name          VARCHAR(200) ${binary} NOT NULL,
    started_at    ${ts}        NOT NULL,
    heartbeat_at  ${ts}        NOT NULL,
    runs_attempts SMALLINT     NOT NULL,
    capabilities  ${blob},
    PRIMARY KEY (id)
);
CREATE INDEX durable_nodes_heartbeat ON durable_nodes (heartbeat_at);

-- The stranded sweep counts running operations per definition, version and step.
CREATE INDEX durable_operations_position ON durable_operations (status, definition, definition_version, current_step);

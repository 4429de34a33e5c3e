-- Limits (docs/flow-control.md, "Limits"). A step that may not run yet is handed back uncounted and queued:
-- dispatch_pending 4, queued_for naming what it waits for, reason saying why; a place that frees up wakes the first of
-- them by the operation's priority, then age. durable_permits holds one row per place of a concurrency or rate limit:
-- a place is taken with a compare-and-set on busy_until (a concurrency place until its holder's lease, renewed while it
-- runs; a rate place for one period), so a crashed node's places come back when its lease runs out. A per-key limit
-- counts operations: partition_key is the SHA-256 digest of the key (never the key itself), partition_seq the order
-- they were enqueued in (increasing on each node, whatever its clock's resolution), admitted whether one holds its place.
ALTER TABLE durable_operations ADD COLUMN priority INT DEFAULT 0 NOT NULL;
ALTER TABLE durable_operations ADD COLUMN partition_key CHAR(64) ${binary};
ALTER TABLE durable_operations ADD COLUMN partition_seq BIGINT;
ALTER TABLE durable_operations ADD COLUMN admitted SMALLINT DEFAULT 0 NOT NULL;
CREATE INDEX durable_operations_partition ON durable_operations (definition, partition_key, status);
ALTER TABLE durable_attempts ADD COLUMN queued_for VARCHAR(420) ${binary};
CREATE INDEX durable_attempts_queued ON durable_attempts (dispatch_pending, queued_for);
CREATE TABLE durable_permits (
    limit_name VARCHAR(420) ${binary} NOT NULL,
    permit     INT          NOT NULL,
    holder     CHAR(36),
    token      CHAR(36),
    busy_until ${ts},
    PRIMARY KEY (limit_name, permit)
);

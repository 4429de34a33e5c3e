-- Durable Ops schema, version 17: each bulk run has an id, recorded with every audit entry it writes, so the list can
-- show the operations a run changed, whatever status they are in now (OperationQuery.bulkRun, the list's ?bulkRun=).
-- The filter reads the operation ids of one run: (bulk_run, operation_id) serves it from the index alone.
ALTER TABLE durable_audit ADD COLUMN bulk_run CHAR(36);
CREATE INDEX durable_audit_bulk_run ON durable_audit (bulk_run, operation_id);

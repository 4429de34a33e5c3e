-- The operations list filtered by definition and status, newest first (issue 19's history bench:
-- definition = 'history-invoice' AND status = 'FAILED' at 1,000,000 operations, none of which matched): PostgreSQL took
-- the (status, created_at, id) index backwards and filtered every failed operation by definition (EXPLAIN: 59,876 rows
-- removed, 115 ms warm and 1.3 s p95 in the bench), because it estimates the two columns as independent; extended
-- statistics (CREATE STATISTICS ... mcv) did not change the plan. This index reads that page as one range (0.05 ms).
-- Its cost: one more index entry on each operation update (PostgreSQL updates every index of a row that moves, and the
-- updated_at index of V15 already makes each update move it). H2 and MySQL/MariaDB have no V16: their plans for this
-- filter read the (status, definition, ...) index of V11 or few rows (EXPLAIN at 100,000: 9 ms on MariaDB, 20 ms on H2).
CREATE INDEX durable_operations_definition_status_created ON durable_operations (definition, status, created_at, id);

-- Retention: finished operations are deleted (with their attempts, errors, signals, search attributes and staged work,
-- through the ON DELETE CASCADE foreign keys) once they have been finished for longer than the retention period.
CREATE INDEX durable_operations_finished ON durable_operations (finished_at);

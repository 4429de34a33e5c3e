-- A step's visit is recorded once: the database refuses a second attempt row for the same (operation, visit), so a race
-- that slipped past every compare-and-set would fail loudly instead of forking the flow. It replaces V1's non-unique
-- index on the same columns (created first: the foreign key on operation_id needs an index at every moment).
CREATE UNIQUE INDEX durable_attempts_visit ON durable_attempts (operation_id, visit);
DROP INDEX durable_attempts_operation ON durable_attempts;

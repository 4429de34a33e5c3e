-- The operations list at scale (docs/admin-ui.md, "At scale"): the error-class filter and the failure groups read the
-- current attempt's last_error_class; the list can be sorted by the update time, paged by keyset (updated_at, id).
CREATE INDEX durable_attempts_error_class ON durable_attempts (last_error_class);
CREATE INDEX durable_operations_updated_id ON durable_operations (updated_at, id);

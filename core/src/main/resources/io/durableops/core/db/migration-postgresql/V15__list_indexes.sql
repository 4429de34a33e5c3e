-- The operations list at scale (docs/admin-ui.md, "At scale"): the error-class filter and the failure groups read the
-- current attempt's last_error_class; the list can be sorted by the update time, paged by keyset (updated_at, id).
-- PostgreSQL uses a plain index for LIKE 'prefix%' only under the C collation: the *_pattern_ops indexes serve the
-- list's wildcard filters (definition, idempotency key, id prefix, error class) under any collation.
CREATE INDEX durable_attempts_error_class ON durable_attempts (last_error_class varchar_pattern_ops);
CREATE INDEX durable_operations_updated_id ON durable_operations (updated_at, id);
CREATE INDEX durable_operations_definition_pattern ON durable_operations (definition varchar_pattern_ops);
CREATE INDEX durable_operations_key_pattern ON durable_operations (idempotency_key varchar_pattern_ops);
CREATE INDEX durable_operations_id_pattern ON durable_operations (id bpchar_pattern_ops);

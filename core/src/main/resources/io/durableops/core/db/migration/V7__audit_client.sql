-- Durable Ops schema, version 7: access events in the audit trail (sign-in, sign-out, failed sign-in, refused action)
-- carry the network address they came from, and the trail is filtered by actor, action and time.
ALTER TABLE durable_audit ADD COLUMN client_address VARCHAR(100);

-- Each filter narrows to an index prefix, then pages by keyset on sequence_no (newest first).
CREATE INDEX durable_audit_actor ON durable_audit (actor, sequence_no);
CREATE INDEX durable_audit_action ON durable_audit (action, sequence_no);
CREATE INDEX durable_audit_occurred ON durable_audit (occurred_at);

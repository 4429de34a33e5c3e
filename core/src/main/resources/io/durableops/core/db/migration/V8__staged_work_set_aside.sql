-- Staged work the relay cannot hand over (its payload cannot be decrypted, or the dispatcher refuses it alone, again and
-- again) is set aside with its reason instead of being offered on every pass: one poison row must not stop the relay
-- of the whole cluster. Operators see it (OperationAdmin.setAsideWork) and release or discard it.
ALTER TABLE durable_staged_work ADD COLUMN set_aside_at ${ts};
ALTER TABLE durable_staged_work ADD COLUMN set_aside_reason VARCHAR(2000) ${binary};

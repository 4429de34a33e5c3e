-- The operation's globals as a fast-path step left them, on the next attempt, when that step was recorded alone (one
-- statement for its attempts, without the operation row; MySQL/MariaDB). NULL when the operation row holds them. The
-- operation row takes them over at its next update: a completion recorded as a transaction, lease recovery, an end.
ALTER TABLE durable_attempts ADD COLUMN globals ${blob};

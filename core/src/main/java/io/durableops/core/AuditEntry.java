package io.durableops.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One operator action as recorded: who ({@code actor}), what ({@code action}, such as {@code retry} or
 * {@code retry-from}, with its {@code detail}: the step, the reason, the bulk filter), on which operation, and when.
 */
public record AuditEntry(long sequence, OperationId operationId, String actor, String action, Optional<String> detail, Instant occurredAt) {
}

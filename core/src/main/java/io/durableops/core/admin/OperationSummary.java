package io.durableops.core.admin;

import io.durableops.core.AttemptStatus;
import io.durableops.core.Limit;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of the operations list: the operation as stored, without its (encrypted) data, and the state of its
 * current attempt: its status, how many tries it has had and when it is or was scheduled; {@code queuedReason}: why that
 * attempt waits behind a {@link Limit}, while it does.
 */
public record OperationSummary(OperationId id,
                               String definition,
                               int definitionVersion,
                               OperationStatus status,
                               String currentStep,
                               Optional<AttemptStatus> currentAttemptStatus,
                               int attemptCount,
                               Optional<Instant> scheduledAt,
                               Optional<String> failureReason,
                               Optional<String> idempotencyKey,
                               Instant createdAt,
                               Instant updatedAt,
                               Optional<Instant> finishedAt,
                               Optional<String> queuedReason) {
}

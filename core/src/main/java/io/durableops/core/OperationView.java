package io.durableops.core;

import io.durableops.core.admin.OperationQuery;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one operation as stored. Globals and results are decrypted; {@link #globals()} throws a
 * {@link DecryptionException} if they cannot be. {@code parentId}: the operation that started this one as its child
 * ({@link StepContext#startChild}, {@link Flow#call}), if any; its children are found with
 * {@link OperationQuery.Builder#parentId}. {@code queuedReason}: why its next step waits behind a {@link Limit}
 * ({@code "queued: concurrency 5 of 5 in use"}), while it does.
 */
public record OperationView(OperationId id,
                            String definition,
                            int definitionVersion,
                            OperationStatus status,
                            String currentStep,
                            Optional<String> failureReason,
                            Instant createdAt,
                            Instant updatedAt,
                            Optional<Instant> finishedAt,
                            Data globals,
                            Data results,
                            Optional<OperationId> parentId,
                            Optional<String> queuedReason) {
}

package io.durableops.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one operation as stored. Globals and results are decrypted; {@link #globals()} throws a
 * {@link DecryptionException} if they cannot be.
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
                            Data results) {
}

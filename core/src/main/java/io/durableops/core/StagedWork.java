package io.durableops.core;

import java.util.Objects;
import java.util.UUID;

/**
 * Work a step hands to the dispatcher only if and when the step's completion commits (acidic_job's
 * {@code perform_transactionally}): for example a JobRunr job, staged with {@code JobRunrStaging.stage(ctx, ...)}.
 * It is stored (encrypted) in the same transaction as the completion, so it is dispatched at least once if the step
 * succeeds and never if it fails. {@code id} identifies it to the dispatcher, which must ignore a repeat.
 */
public record StagedWork(UUID id, String kind, String payload) {
    public StagedWork {
        Objects.requireNonNull(id, "id");
        if (kind == null || kind.isBlank() || kind.length() > 100) throw new IllegalArgumentException("kind must be 1 to 100 characters");
        Objects.requireNonNull(payload, "payload");
    }
}

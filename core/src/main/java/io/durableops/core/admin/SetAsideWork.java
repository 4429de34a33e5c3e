package io.durableops.core.admin;

import io.durableops.core.OperationId;
import io.durableops.core.StagedWork;
import java.time.Instant;
import java.util.UUID;

/**
 * Staged work ({@link StagedWork}) the relay set aside instead of handing it to the dispatcher on every pass: its
 * payload could not be decrypted (a tampered row, a removed key), or the dispatcher kept refusing it alone.
 * {@code reason} says which. It stays until an operator releases it (the relay tries again) or discards it.
 */
public record SetAsideWork(UUID id, OperationId operationId, String kind, Instant createdAt, Instant setAsideAt, String reason) {
}

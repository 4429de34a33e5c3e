package io.durableops.core.admin;

import io.durableops.core.AttemptView;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What an operation page shows of an attempt beyond its {@link AttemptView}: when the step was reached
 * ({@code createdAt}), when a wait gives up ({@code waitDeadline}; empty for any other step and for a wait without a
 * timeout), and its dispatch {@code generation}, which changes whenever the attempt is scheduled again (a retry, run
 * now, recovery) and, with the attempt id, names the dispatcher's job (the JobRunr adapter's
 * {@code JobRunrDispatcher.jobId(attemptId, generation)}). From {@link OperationAdmin#attemptDetails}.
 */
public record AttemptDetail(UUID attemptId, Instant createdAt, Optional<Instant> waitDeadline, int generation) {
}

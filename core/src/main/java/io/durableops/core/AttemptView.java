package io.durableops.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One attempt (one scheduled visit of a step, with all its tries) as stored in the attempts table. */
public record AttemptView(UUID id,
                          String step,
                          int visit,
                          AttemptStatus status,
                          int attemptCount,
                          Instant scheduledAt,
                          Optional<Instant> startedAt,
                          Optional<Instant> finishedAt,
                          Optional<String> reason,
                          Data args,
                          List<ErrorView> errors) {
}

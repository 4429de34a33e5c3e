package io.durableops.core.spi;

import java.time.Instant;
import java.util.UUID;

/**
 * An attempt that is committed and must be run at {@code runAt}. {@code (attemptId, generation)} identifies one
 * dispatch: a dispatcher must treat a second request with the same pair as a no-op (the relay may repeat one).
 */
public record DispatchRequest(UUID attemptId,
                              int generation,
                              UUID operationId,
                              String definition,
                              String step,
                              int attemptNumber,
                              Instant runAt) {
    /** A short, readable label: {@code definition / step / attempt n}. */
    public String label() {
        return definition + " / " + step + " / attempt " + attemptNumber;
    }
}

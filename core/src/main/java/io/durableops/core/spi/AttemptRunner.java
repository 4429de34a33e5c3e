package io.durableops.core.spi;

import java.util.UUID;

/**
 * Runs one dispatched attempt: claims it, runs the step's code, records the outcome and dispatches what follows.
 * A request whose attempt is no longer scheduled with that generation (already run, expired, re-dispatched) is a
 * no-op, so a dispatcher may deliver a request more than once.
 */
public interface AttemptRunner {
    /**
     * @throws io.durableops.core.StorageException when the database cannot be reached; the dispatcher should try
     *         the request again later (for JobRunr: let its retry happen)
     */
    void run(UUID attemptId, int generation);
}

package io.durableops.jobrunr;

import io.durableops.jobrunr.internal.Runtimes;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Runs a {@link StepJobRequest} on the Durable Ops runtime it names. A step's own failures are recorded by Durable
 * Ops and never reach JobRunr; only infrastructure failures (the database is down, the runtime is not started on
 * this node) are thrown, so JobRunr's retries serve exactly those.
 */
public final class StepJobRequestHandler implements JobRequestHandler<StepJobRequest> {
    @Override
    public void run(StepJobRequest request) {
        Runtimes.runner(request.getInstance()).run(request.getAttemptId(), request.getGeneration());
    }
}

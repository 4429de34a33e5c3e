package io.durableops.jobrunr;

import org.jobrunr.jobs.lambdas.JobRequest;

import java.util.UUID;

/**
 * The JobRunr job of one Durable Ops attempt: which runtime runs it, which attempt and which generation. Stored as
 * JSON in JobRunr's table; public with a no-arg constructor because JobRunr reads it back with Jackson.
 */
public final class StepJobRequest implements JobRequest {
    private String instance;
    private UUID attemptId;
    private int generation;

    public StepJobRequest() {
    }

    public StepJobRequest(String instance, UUID attemptId, int generation) {
        this.instance = instance;
        this.attemptId = attemptId;
        this.generation = generation;
    }

    public String getInstance() {
        return instance;
    }

    public UUID getAttemptId() {
        return attemptId;
    }

    public int getGeneration() {
        return generation;
    }

    @Override
    public Class<StepJobRequestHandler> getJobRequestHandler() {
        return StepJobRequestHandler.class;
    }
}

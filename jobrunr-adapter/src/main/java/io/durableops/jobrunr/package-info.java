/**
 * Runs Durable Ops' steps as JobRunr jobs: {@link io.durableops.jobrunr.JobRunrDispatcher} is the dispatcher to give
 * {@code DurableOps.builder()}; {@link io.durableops.jobrunr.StepJobRequestHandler} is the job JobRunr runs.
 */
package io.durableops.jobrunr;

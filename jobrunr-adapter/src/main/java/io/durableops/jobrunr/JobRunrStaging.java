package io.durableops.jobrunr;

import io.durableops.core.StagedWork;
import io.durableops.core.StepContext;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.details.JobDetailsAsmGenerator;
import org.jobrunr.jobs.lambdas.JobLambda;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import java.util.UUID;

/**
 * Stages a JobRunr job from inside a step: the job is created in JobRunr only if and when the step's completion
 * commits, exactly once (acidic_job's {@code perform_transactionally}).
 *
 * <pre>{@code
 * .action("send-receipt", ctx -> JobRunrStaging.stage(ctx, () -> mailer.sendReceipt(rideId)))
 * }</pre>
 */
public final class JobRunrStaging {
    /** The {@link StagedWork#kind()} of a staged JobRunr job. */
    public static final String KIND = "jobrunr-job";
    static final JobMapper MAPPER = new JobMapper(new JacksonJsonMapper());
    private static final JobDetailsAsmGenerator DETAILS = new JobDetailsAsmGenerator();

    private JobRunrStaging() {
    }

    /** Stages {@code job} as an enqueued JobRunr job; returns the id it will have in JobRunr. */
    public static UUID stage(StepContext context, JobLambda job) {
        JobDetails details = DETAILS.toJobDetails(job);
        UUID id = UUID.randomUUID();
        context.stage(new StagedWork(id, KIND, MAPPER.serializeJob(new Job(id, details))));
        return id;
    }
}

package io.durableops.admin.internal;

import io.durableops.core.admin.AttemptDetail;
import io.durableops.jobrunr.JobRunrDispatcher;

import java.util.Optional;

/**
 * Links to JobRunr's dashboard, when its base URL is configured: an attempt's job is the one of its latest dispatch,
 * whose id the adapter derives from the attempt id and its generation ({@link JobRunrDispatcher#jobId}). JobRunr's
 * dashboard shows a job at {@code <base>/dashboard/jobs/<jobId>}.
 */
final class JobLinks {
    private JobLinks() {
    }

    static Optional<String> jobUrl(Settings settings, AttemptDetail detail) {
        if (settings.jobRunrDashboard() == null || detail == null) return Optional.empty();
        return Optional.of(settings.jobRunrDashboard() + "/dashboard/jobs/" + JobRunrDispatcher.jobId(detail.attemptId(), detail.generation()));
    }
}

package io.durableops.bench;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * The raw JobRunr jobs of workload 2: a chain step that enqueues its successor from inside the job, and the two
 * probe jobs (enqueued from an application thread; scheduled with a delay). Public with no-arg constructors because
 * JobRunr stores them as JSON and creates the handlers by reflection; they report to the running {@link RawJobRunr}.
 */
public final class RawJobs {
    static volatile RawJobRunr current;

    private RawJobs() {
    }

    public static final class ChainStep implements JobRequest {
        private int chain;
        private int index;

        public ChainStep() {
        }

        ChainStep(int chain, int index) {
            this.chain = chain;
            this.index = index;
        }

        public int getChain() {
            return chain;
        }

        public int getIndex() {
            return index;
        }

        @Override
        public Class<ChainStepHandler> getJobRequestHandler() {
            return ChainStepHandler.class;
        }
    }

    public static final class ChainStepHandler implements JobRequestHandler<ChainStep> {
        @Override
        public void run(ChainStep step) {
            current.chainStep(step.chain, step.index);
        }
    }

    public static final class ProbeFirst implements JobRequest {
        private int probe;

        public ProbeFirst() {
        }

        ProbeFirst(int probe) {
            this.probe = probe;
        }

        public int getProbe() {
            return probe;
        }

        @Override
        public Class<ProbeFirstHandler> getJobRequestHandler() {
            return ProbeFirstHandler.class;
        }
    }

    public static final class ProbeFirstHandler implements JobRequestHandler<ProbeFirst> {
        @Override
        public void run(ProbeFirst probe) {
            current.probeFirst(probe.probe);
        }
    }

    public static final class ProbeDelayed implements JobRequest {
        private int probe;

        public ProbeDelayed() {
        }

        ProbeDelayed(int probe) {
            this.probe = probe;
        }

        public int getProbe() {
            return probe;
        }

        @Override
        public Class<ProbeDelayedHandler> getJobRequestHandler() {
            return ProbeDelayedHandler.class;
        }
    }

    public static final class ProbeDelayedHandler implements JobRequestHandler<ProbeDelayed> {
        @Override
        public void run(ProbeDelayed probe) {
            current.probeDelayed(probe.probe);
        }
    }
}

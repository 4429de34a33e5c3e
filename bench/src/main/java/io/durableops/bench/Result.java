package io.durableops.bench;

/**
 * What one engine workload measured. Throughput, transition latency, cost and size come from the chain workload;
 * enqueue-to-first-step and delayed-step lateness from the probe that follows it on the same, otherwise idle, setup.
 */
record Result(String name,
              long steps,
              long expectedSteps,
              double windowSeconds,
              Stats transition,
              Stats enqueueToFirstStep,
              Stats delayedLateness,
              Stats burstEnqueueToFirstStep,
              Meter.Usage usage,
              long durableOpsBytes,
              long jobRunrBytes,
              String note) {

    double stepsPerSecond() {
        return windowSeconds > 0 ? steps / windowSeconds : Double.NaN;
    }

    boolean complete() {
        return steps >= expectedSteps;
    }

    double cpuMillisPerStep() {
        return usage.cpuMillis() / steps;
    }

    double dbCpuMillisPerStep() {
        return usage.dbCpuMillis() / steps;
    }

    double statementsPerStep() {
        return (double) usage.sql().total() / steps;
    }

    double commitsPerStep() {
        return (double) usage.sql().commits() / steps;
    }

    double serverStatementsPerStep() {
        return (double) usage.serverStatements() / steps;
    }

    double durableOpsBytesPerStep() {
        return (double) durableOpsBytes / steps;
    }

    double jobRunrBytesPerStep() {
        return (double) jobRunrBytes / steps;
    }

    double heapPeakMb() {
        return usage.heapPeakBytes() / (1024.0 * 1024.0);
    }
}

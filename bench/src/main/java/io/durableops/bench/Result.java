package io.durableops.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * The run of {@code runs} with the median steps/s (the lower middle one of an even count), with the probe of the
     * first run, the only one that had it, and the notes of every run (an incomplete run is not hidden).
     */
    static Result median(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Result::stepsPerSecond));
        Result m = sorted.get((sorted.size() - 1) / 2);
        Result probed = runs.get(0);
        String notes = runs.stream().map(Result::note).filter(n -> !n.isEmpty()).distinct().collect(Collectors.joining("; "));
        return new Result(m.name, m.steps, m.expectedSteps, m.windowSeconds, m.transition, probed.enqueueToFirstStep,
                probed.delayedLateness, m.burstEnqueueToFirstStep, m.usage, m.durableOpsBytes, m.jobRunrBytes, notes);
    }

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

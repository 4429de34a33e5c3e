package io.durableops.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a sample of durations in milliseconds (nearest rank). */
record Stats(int count, double min, double p50, double p99, double max, int negative, double p95) {
    static final Stats NONE = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);

    static Stats of(Collection<Double> values) {
        if (values.isEmpty()) return NONE;
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int negative = (int) Arrays.stream(sorted).filter(v -> v < 0).count();
        return new Stats(sorted.length, sorted[0], rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1], negative,
                rank(sorted, 95));
    }

    static Stats of(double[] values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    private static double rank(double[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}

package io.durableops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end of {@code bench/run --ab}: reads the rounds' lines ({@code <build> <round> <key>=<value>}, build {@code old}
 * or {@code new}), and prints each figure's median per build, the new build's ratio to the old one, and the issue's
 * target (no throughput or p50 regression beyond 10%), then RESULT lines. Reports; never fails.
 */
public final class AbCompare {
    private static final List<String> FIGURES = List.of("durable_steps_per_s", "durable_transition_p50_ms", "fastpath_steps_per_s",
            "fastpath_transition_p50_ms", "limited_steps_per_s");

    private AbCompare() {
    }

    /** {@code args}: the results file, the previous build's revision, this build's. */
    public static void main(String[] args) throws Exception {
        Map<String, Map<String, List<Double>>> values = new TreeMap<>(); // build -> figure -> one value per round
        Map<String, List<String>> loads = new LinkedHashMap<>();
        List<String> incomplete = new ArrayList<>();
        java.util.Set<String> dbs = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] parts = line.trim().split(" ", 3);
            if (parts.length < 3 || !parts[2].contains("=")) continue;
            String key = parts[2].substring(0, parts[2].indexOf('='));
            String value = parts[2].substring(parts[2].indexOf('=') + 1);
            if (key.equals("load")) loads.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(value);
            else if (key.equals("db")) dbs.add(value);
            else if (key.equals("incomplete")) incomplete.add(parts[0] + " round " + parts[1] + ": " + value);
            else values.computeIfAbsent(parts[0], k -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(value));
        }
        String old = args.length > 1 ? args[1] : "old";
        String current = args.length > 2 ? args[2] : "new";
        System.out.println();
        System.out.println("== A/B: this build (" + current + ") against " + old + ", " + (dbs.isEmpty() ? "MariaDB" : String.join(", ", dbs))
                + ", alternate rounds, medians ==");
        System.out.println("load average at the end of each round: " + loads);
        incomplete.forEach(i -> System.out.println("INCOMPLETE " + i));
        System.out.printf(Locale.ROOT, "%-28s %12s %12s %8s   %s%n", "figure", old, current, "ratio", "every round (old | new)");
        List<String> results = new ArrayList<>();
        for (String figure : FIGURES) {
            List<Double> a = values.getOrDefault("old", Map.of()).getOrDefault(figure, List.of());
            List<Double> b = values.getOrDefault("new", Map.of()).getOrDefault(figure, List.of());
            double ratio = median(b) / median(a);
            boolean latency = figure.endsWith("_ms");
            boolean pass = latency ? ratio <= 1.10 : ratio >= 0.90;
            System.out.printf(Locale.ROOT, "%-28s %12.2f %12.2f %7.2fx   %s  %s | %s%n", figure, median(a), median(b), ratio,
                    Double.isNaN(ratio) ? "MISS" : pass ? "PASS" : "MISS", format(a), format(b));
            results.add(String.format(Locale.ROOT, "ab_%s_ratio=%.3f", figure, ratio));
        }
        System.out.println("target (issue 19): no throughput or p50 regression beyond 10% (steps/s ratio >= 0.90, p50 ratio <= 1.10)");
        System.out.println();
        results.forEach(r -> System.out.println("RESULT " + r));
    }

    /** The median of {@code values}; NaN when there are none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}

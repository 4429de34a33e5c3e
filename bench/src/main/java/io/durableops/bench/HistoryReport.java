package io.durableops.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The history run's table, its targets (issue 19: cost flat as history grows) with PASS/MISS, and its RESULT lines. */
final class HistoryReport {
    private HistoryReport() {
    }

    static void print(BenchConfig config, HistoryRun.Outcome o, PrintStream out) {
        Result emptyFast = Result.median(o.emptyFast());
        Result historyFast = Result.median(o.historyFast());
        Result emptyDurable = Result.median(o.emptyDurable());
        Result historyDurable = Result.median(o.historyDurable());
        out.println();
        out.println("== Durable Ops with a history, on " + o.kind().label + " (" + (config.quick() ? "--quick: small run" : "full run") + ") ==");
        out.println(o.environment());
        out.printf(Locale.ROOT, "history: %,d finished operations, %,d attempts (%s); %d chains x %d steps per run, %d run(s) each, "
                        + "interleaved; each row is its median run by steps/s; the targets' p50 is the median of every run's p50%n", o.seeded().operations(), o.seeded().attempts(),
                o.seeded().seconds() >= 0 ? String.format(Locale.ROOT, "seeded in this run in %.0f s", o.seeded().seconds())
                        : String.format(Locale.ROOT, "kept from an earlier run, whose seeding took %.0f s", -o.seeded().seconds()),
                config.chains(), config.stepsPerChain() + 1, o.emptyFast().size());
        out.println();
        out.printf(Locale.ROOT, "%-36s %9s %17s%n", "workload", "steps/s", "transition ms");
        for (Result r : List.of(emptyFast, historyFast, emptyDurable, historyDurable)) {
            out.printf(Locale.ROOT, "%-36s %9.1f %17s%s%n", r.name(), r.stepsPerSecond(), pair(r.transition()), r.note().isEmpty() ? "" : "  " + r.note());
        }
        out.printf(Locale.ROOT, "%-36s %s (empty tables: %s)%n", "relay pass ms p50 / p95", pair95(o.historyRelay()), pair95(o.emptyRelay()));
        out.printf(Locale.ROOT, "%-36s %s (empty tables: %s)%n", "admin list, first page ms p50 / p95", pair95(o.firstPage()), pair95(o.emptyFirstPage()));
        out.printf(Locale.ROOT, "%-36s %s%n", "admin list, failed invoices ms", pair95(o.filteredPage()));
        out.printf(Locale.ROOT, "%-36s %.0f operations/s (%d in %.2f s, batches of 500; %d attempts each); seeded again in %.1f s%n",
                "retention", retentionRate(o), o.retentionDeleted(), o.retentionSeconds(), HistorySeed.STEPS, o.reseedSeconds());
        out.println("  steps/s of every run, in order:");
        for (List<Result> runs : List.of(o.emptyFast(), o.historyFast(), o.emptyDurable(), o.historyDurable())) {
            out.printf(Locale.ROOT, "    %-36s %s%n", runs.get(0).name(), String.join(", ", runs.stream()
                    .map(r -> String.format(Locale.ROOT, "%.0f", r.stepsPerSecond())).toList()));
        }
        out.println("  transition p50 ms of every run, in order:");
        for (List<Result> runs : List.of(o.emptyFast(), o.historyFast(), o.emptyDurable(), o.historyDurable())) {
            out.printf(Locale.ROOT, "    %-36s %s (median %.2f)%n", runs.get(0).name(), String.join(", ", runs.stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", r.transition().p50())).toList()), p50(runs));
        }
        if (!config.quick()) {
            out.println();
            out.println("targets (issue 19, cost flat as history grows):");
            target(out, "fast path steps/s with the history >= 80% of empty", 100 * ratio(historyFast.stepsPerSecond(), emptyFast.stepsPerSecond()), ">=", 80, "%");
            target(out, "fast path transition p50 <= 120% of empty", 100 * ratio(p50(o.historyFast()), p50(o.emptyFast())), "<=", 120, "%");
            target(out, "one job per step steps/s with the history >= 80% of empty", 100 * ratio(historyDurable.stepsPerSecond(), emptyDurable.stepsPerSecond()), ">=", 80, "%");
            target(out, "one job per step transition p50 <= 120% of empty", 100 * ratio(p50(o.historyDurable()), p50(o.emptyDurable())), "<=", 120, "%");
            target(out, "admin list, first page p95 < 200 ms", o.firstPage().p95(), "<=", 200, " ms");
            target(out, "admin list, filtered page p95 < 200 ms", o.filteredPage().p95(), "<=", 200, " ms");
        }
        out.println();
        String prefix = o.kind() == Database.Kind.MARIADB ? "history_" : "postgres_history_";
        List<String> lines = new ArrayList<>();
        // why two lines: Seeded keeps an earlier run's seeding time as a negative number, which a RESULT line must not show
        lines.add("seed_s=" + number(Math.abs(o.seeded().seconds())));
        lines.add("seed_kept=" + (o.seeded().seconds() < 0 ? 1 : 0));
        lines.add("empty_fastpath_steps_per_s=" + number(emptyFast.stepsPerSecond()));
        lines.add("fastpath_steps_per_s=" + number(historyFast.stepsPerSecond()));
        lines.add("fastpath_steps_ratio=" + number(ratio(historyFast.stepsPerSecond(), emptyFast.stepsPerSecond())));
        lines.add("empty_fastpath_transition_p50_ms=" + number(p50(o.emptyFast())));
        lines.add("fastpath_transition_p50_ms=" + number(p50(o.historyFast())));
        lines.add("empty_durable_steps_per_s=" + number(emptyDurable.stepsPerSecond()));
        lines.add("durable_steps_per_s=" + number(historyDurable.stepsPerSecond()));
        lines.add("durable_steps_ratio=" + number(ratio(historyDurable.stepsPerSecond(), emptyDurable.stepsPerSecond())));
        lines.add("empty_durable_transition_p50_ms=" + number(p50(o.emptyDurable())));
        lines.add("durable_transition_p50_ms=" + number(p50(o.historyDurable())));
        lines.add("empty_relay_pass_p50_ms=" + number(o.emptyRelay().p50()));
        lines.add("relay_pass_p50_ms=" + number(o.historyRelay().p50()));
        lines.add("admin_first_page_p95_ms=" + number(o.firstPage().p95()));
        lines.add("admin_filtered_page_p95_ms=" + number(o.filteredPage().p95()));
        lines.add("retention_ops_per_s=" + number(retentionRate(o)));
        lines.forEach(line -> out.println("RESULT " + prefix + line));
    }

    /**
     * The median of the runs' transition p50s. why not the p50 of the median run (by steps/s): that is one run's, and
     * on 2026-12-07 it moved with the machine as much as the target allows (each p50 target missed in one of three runs).
     */
    private static double p50(List<Result> runs) {
        return AbCompare.median(runs.stream().map(r -> r.transition().p50()).toList());
    }

    private static double retentionRate(HistoryRun.Outcome o) {
        return o.retentionSeconds() > 0 ? o.retentionDeleted() / o.retentionSeconds() : Double.NaN;
    }

    private static void target(PrintStream out, String what, double value, String op, double bound, String unit) {
        boolean pass = !Double.isNaN(value) && (op.equals(">=") ? value >= bound : value <= bound);
        out.printf(Locale.ROOT, "  %-4s %-58s measured %.2f%s%n", pass ? "PASS" : "MISS", what, value, unit);
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-1" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String pair(Stats s) {
        return s.count() == 0 ? "-" : String.format(Locale.ROOT, "%.2f / %.2f", s.p50(), s.p99());
    }

    private static String pair95(Stats s) {
        return s.count() == 0 ? "-" : String.format(Locale.ROOT, "%.2f / %.2f", s.p50(), s.p95());
    }
}

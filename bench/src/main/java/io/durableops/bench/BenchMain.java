package io.durableops.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 6's benchmark in one JVM run, on MariaDB and PostgreSQL one after the other ({@link FullRun} on each, then each
 * one's table and RESULT lines), or the history run ({@link HistoryRun}), or the EXPLAIN plans ({@link Explain}). Run it
 * with {@code bench/run}; its header lists the options. Exits non-zero only if something crashed; missed targets are
 * reported, not failed.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(List.of(args));
        } catch (Throwable t) {
            System.err.println("benchmark crashed:");
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status); // why: JobRunr and pool threads must not keep the JVM alive after the report
    }

    private static void run(List<String> args) throws Exception {
        boolean quick = false;
        boolean profile = true;
        String mode = "full";
        List<Database.Kind> kinds = null;
        for (String arg : args) {
            switch (arg) {
                case "--quick" -> quick = true;
                case "--no-profile" -> profile = false;
                case "--history", "--explain", "--ab-round" -> mode = arg.substring(2);
                default -> {
                    if (!arg.startsWith("--db=")) {
                        throw new IllegalArgumentException("unknown argument " + arg + "; use --quick, --no-profile, --db=mariadb|postgres|both, "
                                + "--history or --explain");
                    }
                    kinds = kinds(arg.substring(5));
                }
            }
        }
        // why MariaDB alone in --quick by default: CI runs it on every stop, and PostgreSQL would double its time
        if (kinds == null) kinds = quick || mode.equals("ab-round") ? List.of(Database.Kind.MARIADB) : List.of(Database.Kind.values());
        BenchConfig config = BenchConfig.of(quick, profile);
        Path out = Path.of(System.getProperty("bench.out", "bench/target"));
        long started = System.nanoTime();
        switch (mode) {
            case "history" -> HistoryRun.run(config, kinds, started);
            case "explain" -> Explain.run(config, kinds, started);
            case "ab-round" -> {
                if (kinds.size() != 1) throw new IllegalArgumentException("an A/B runs on one database: --db=mariadb or --db=postgres");
                AbRound.run(config, kinds.get(0), started);
            }
            default -> {
                List<Report> reports = new ArrayList<>();
                for (Database.Kind kind : kinds) {
                    BenchConfig c = config.on(kind);
                    try (Database db = new Database(c.serverUrl(), c.database())) {
                        reports.add(FullRun.run(c, db, out, started));
                    }
                }
                progress(started, "done");
                reports.forEach(r -> r.print(System.out));
            }
        }
    }

    private static List<Database.Kind> kinds(String value) {
        return switch (value) {
            case "mariadb" -> List.of(Database.Kind.MARIADB);
            case "postgres", "postgresql" -> List.of(Database.Kind.POSTGRES);
            case "both" -> List.of(Database.Kind.values());
            default -> throw new IllegalArgumentException("--db takes mariadb, postgres or both; was " + value);
        };
    }

    static String environment(Database db) throws Exception {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%s %s (%s), %d CPUs, Java %s, max heap %d MB", db.kind.label,
                db.serverVersion(), db.durability(), rt.availableProcessors(), System.getProperty("java.version"), rt.maxMemory() / (1024 * 1024));
    }

    /** The 1-minute load average: the cores are shared, so the report says how busy they were. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    static Result report(long started, Result r) {
        progress(started, String.format(Locale.ROOT, "    %.1f steps/s %s", r.stepsPerSecond(), r.note()));
        return r;
    }

    static void progress(long started, String message) {
        System.out.printf(Locale.ROOT, "[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    }
}

package io.durableops.admin;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.Encryptor;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSort;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.internal.store.SqlValues;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static io.durableops.core.test.Definitions.define;

/**
 * The operations list at scale: seeds {@code bench.operations} operations (100,000 by default) in bulk SQL, each with
 * its current attempt, a search attribute, an idempotency key for half, and errors for the failed ones, then times
 * every list query and filter the list page makes. Not part of the test run (its name matches no Surefire pattern);
 * {@code bench/admin-list} runs it on H2, MariaDB and PostgreSQL and docs/admin-ui.md has its figures.
 */
class AdminListBench {
    static final String[] CLASSES = {"java.io.IOException", "java.lang.IllegalStateException", "java.net.SocketTimeoutException",
            "com.acme.billing.PaymentDeclinedException", "java.sql.SQLTransientConnectionException"};
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final int WARM_UP = Integer.getInteger("bench.warmup", 5);

    @Test
    void run() throws Exception {
        String which = System.getProperty("bench.db", "h2");
        int n = Integer.getInteger("bench.operations", 100_000);
        int rounds = Integer.getInteger("bench.rounds", 30);
        // why a clock that ticks (from NOW): a message search's page stops at its time limit by the runtime's clock
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), NOW));
        Encryptor encryptor = AesGcmEncryptor.of("k1", AdminFixture.KEY);
        try (TestDatabase db = switch (which) {
            case "mariadb" -> TestDatabase.mariaDb();
            case "postgres" -> TestDatabase.postgres();
            default -> TestDatabase.h2();
        }; DurableOps ops = DurableOps.builder().dataSource(db.dataSource()).encryptor(encryptor).clock(clock)
                .dispatcher(new ManualDispatcher(clock)).relayInterval(Duration.ZERO)
                .register(define("def-0", f -> f.action("step-0", ctx -> { }).result("done"))).build()) {
            long seedStart = System.nanoTime();
            List<UUID> ids = seed(db, encryptor, n);
            System.out.printf(Locale.ROOT, "seeded %,d operations on %s in %.1f s%n", n, which, (System.nanoTime() - seedStart) / 1e9);
            analyze(db, which);
            explain(db, System.getProperty("bench.explain"));
            boolean exact = Boolean.getBoolean("bench.exact");
            System.out.printf(Locale.ROOT, "reads: %s%n", exact ? "exact (every matching row: countByStatus(query), failureGroups(query))"
                    : "the list page's (counts up to " + OperationAdmin.LIST_BOUND + " per status, groups of the newest " + OperationAdmin.FAILURES_BOUND + " failures)");
            report(which, n, rounds, cases(ops.admin(), ids, exact), () -> touch(db, ids));
        }
    }

    /**
     * The list page's reads for one filter: the page, the counts per status, the failure groups, the rows' last errors;
     * bounded as the page reads them ({@link OperationAdmin#LIST_BOUND}), or with {@code exact} as they were before
     * (every matching row), to compare in one sitting.
     */
    static Map<String, Supplier<OperationQuery>> cases(OperationAdmin admin, List<UUID> ids, boolean exact) {
        Map<String, Supplier<OperationQuery>> cases = new LinkedHashMap<>();
        cases.put("first page", OperationQuery::all);
        OperationQuery q = OperationQuery.builder().limit(OperationQuery.MAX_LIMIT).build();
        for (int i = 0; i < Math.min(40, ids.size() / OperationQuery.MAX_LIMIT - 1); i++) q = q.withCursor(admin.list(q).nextCursor().orElseThrow());
        OperationQuery deep = q.toBuilder().limit(OperationQuery.DEFAULT_LIMIT).build();
        cases.put("page after 20,000 rows", () -> deep);
        cases.put("status FAILED", () -> OperationQuery.builder().statuses(OperationStatus.FAILED).build());
        cases.put("status RUNNING", () -> OperationQuery.builder().statuses(OperationStatus.RUNNING).build());
        cases.put("definition + step", () -> OperationQuery.builder().definition("def-3").currentStep("step-2").build());
        cases.put("definition def-1*", () -> OperationQuery.builder().definition("def-1*").build());
        cases.put("search attribute", () -> OperationQuery.builder().searchAttribute("customer", "c-1234").build());
        cases.put("error class exact", () -> OperationQuery.builder().errorClass("java.io.IOException").build());
        cases.put("error class java.net.*", () -> OperationQuery.builder().errorClass("java.net.*").build());
        String prefix = ids.get(777).toString().substring(0, 5);
        cases.put("id prefix", () -> OperationQuery.builder().idPrefix(prefix).build());
        cases.put("key prefix order-1234*", () -> OperationQuery.builder().idempotencyKey("order-1234*").build());
        cases.put("key exact", () -> OperationQuery.builder().idempotencyKey("order-40000").build());
        cases.put("created last 24 h", () -> OperationQuery.builder().createdFrom(NOW.minus(Duration.ofDays(1))).build());
        for (OperationSort sort : List.of(OperationSort.CREATED_ASC, OperationSort.UPDATED_DESC, OperationSort.UPDATED_ASC)) {
            cases.put("sort " + sort.name().toLowerCase(Locale.ROOT), () -> OperationQuery.builder().sort(sort).build());
        }
        cases.put("FAILED, sort updated_desc", () -> OperationQuery.builder().statuses(OperationStatus.FAILED).sort(OperationSort.UPDATED_DESC).build());
        // a message search decrypts: one that matches nothing reads until its time limit, one that matches every failed one fills its page
        cases.put("message, no match (stops at its time limit)", () -> OperationQuery.builder().errorMessage("no such text").build());
        cases.put("message TIMEOUT (every failed one)", () -> OperationQuery.builder().errorMessage("TIMEOUT").build());
        cases.put("message + definition def-3", () -> OperationQuery.builder().definition("def-3").errorMessage("request 4*try 2").build());
        // the other filters of the page, and the combinations operators use most
        cases.put("statuses FAILED + CANCELLED", () -> OperationQuery.builder().statuses(OperationStatus.FAILED, OperationStatus.CANCELLED).build());
        cases.put("definition + FAILED", () -> OperationQuery.builder().definition("def-3").statuses(OperationStatus.FAILED).build());
        cases.put("definition + step + FAILED", () -> OperationQuery.builder().definition("def-3").currentStep("step-2").statuses(OperationStatus.FAILED).build());
        cases.put("definition + error class", () -> OperationQuery.builder().definition("def-3").errorClass("java.io.IOException").build());
        cases.put("version 1", () -> OperationQuery.builder().definitionVersion(1).build());
        cases.put("definition + version", () -> OperationQuery.builder().definition("def-3").definitionVersion(1).build());
        cases.put("created one day, 10 days ago", () -> OperationQuery.builder().createdFrom(NOW.minus(Duration.ofDays(11)))
                .createdBefore(NOW.minus(Duration.ofDays(10))).build());
        OperationId parent = new OperationId(ids.get(3));
        cases.put("parent", () -> OperationQuery.builder().parentId(parent).build());
        List<OperationId> selection = ids.subList(1000, 1050).stream().map(OperationId::new).toList();
        cases.put("selection of 50 ids", () -> OperationQuery.builder().ids(selection).build());
        cases.put("search attribute + FAILED", () -> OperationQuery.builder().searchAttribute("customer", "c-1234").statuses(OperationStatus.FAILED).build());
        String only = System.getProperty("bench.only");
        Map<String, Supplier<OperationQuery>> timed = new LinkedHashMap<>();
        cases.forEach((name, query) -> {
            if (only != null && !only.isBlank() && !name.contains(only)) return;
            timed.put(name, () -> {
                OperationQuery query1 = query.get();
                OperationPage page = admin.list(query1);
                // as the list page: a message search is not counted or grouped (the counts are the other filters'),
                // its rows' errors are read
                boolean searching = query1.errorMessage().isPresent();
                OperationQuery counted = searching ? query1.toBuilder().errorMessage(null).build() : query1;
                if (exact) {
                    admin.countByStatus(counted);
                    if (!searching) admin.failureGroups(query1);
                } else {
                    admin.countByStatus(counted, OperationAdmin.LIST_BOUND);
                    if (!searching) admin.failureGroups(query1, OperationAdmin.FAILURES_BOUND);
                }
                List<OperationId> rows = page.items().stream().filter(s -> searching || s.status() != OperationStatus.COMPLETED)
                        .map(OperationSummary::id).toList();
                if (!rows.isEmpty()) admin.lastErrors(rows, true);
                return query1;
            });
        });
        return timed;
    }

    /**
     * Changes one operation between timed rounds, as a live system does; why: H2 hands back a query's last result while
     * its tables are unchanged, which would time a cache rather than the query.
     */
    static void touch(TestDatabase db, List<UUID> ids) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE durable_operations SET priority = 1 - priority WHERE id = ?")) {
            ps.setString(1, ids.get(ThreadLocalRandom.current().nextInt(ids.size())).toString());
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void report(String which, int n, int rounds, Map<String, Supplier<OperationQuery>> cases, Runnable between) {
        System.out.printf(Locale.ROOT, "%n| %s, %,d operations, %d rounds after %d warm-up: the list page's four reads | p50 ms | p95 ms | max ms |%n|---|---:|---:|---:|%n",
                which, n, rounds, WARM_UP);
        System.out.printf(Locale.ROOT, "load average at the start: %s%n", loadAverage());
        cases.forEach((name, run) -> {
            for (int i = 0; i < WARM_UP; i++) run.get();
            double[] ms = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                between.run();
                long t = System.nanoTime();
                run.get();
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, ms[rounds / 2], ms[(int) Math.ceil(rounds * 0.95) - 1], ms[rounds - 1]);
        });
        System.out.printf(Locale.ROOT, "load average: %s%n", loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * With {@code -Dbench.explain=file}: runs each statement of the file (one a line, such as {@code EXPLAIN SELECT ...};
     * blank lines and {@code --} comments skipped) on the seeded database and prints what it answers, so the plans of an
     * in-memory H2 can be read too.
     */
    static void explain(TestDatabase db, String file) throws Exception {
        if (file == null || file.isBlank()) return;
        try (Connection c = db.dataSource().getConnection(); var s = c.createStatement()) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(file))) {
                if (line.isBlank() || line.strip().startsWith("--")) continue;
                System.out.println("> " + line.strip());
                long t = System.nanoTime();
                try (var rs = s.executeQuery(line.strip())) {
                    while (rs.next()) System.out.println("  " + rs.getString(1));
                }
                System.out.printf(Locale.ROOT, "  (%.1f ms)%n", (System.nanoTime() - t) / 1e6);
            }
        }
    }

    /** Fresh planner statistics after the bulk load, as a database that has run a while has them. */
    static void analyze(TestDatabase db, String which) throws Exception {
        try (Connection c = db.dataSource().getConnection(); var s = c.createStatement()) {
            for (String table : List.of("durable_operations", "durable_attempts", "durable_attempt_errors", "durable_search_attributes")) {
                switch (which) {
                    case "mariadb" -> s.execute("ANALYZE TABLE " + table);
                    case "postgres" -> s.execute("ANALYZE " + table);
                    default -> { }
                }
            }
            if (which.equals("h2")) s.execute("ANALYZE");
        }
    }

    /** 70 % completed, 15 % running, 10 % failed (1 to 3 tries, each with an error), 3 % cancelled, 2 % expired. */
    static List<UUID> seed(TestDatabase db, Encryptor encryptor, int n) throws Exception {
        Random random = new Random(21);
        List<UUID> ids = new ArrayList<>(n);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement op = c.prepareStatement("INSERT INTO durable_operations (id, definition, definition_version, status, "
                    + "current_step, current_attempt_id, failure_reason, idempotency_key, created_at, updated_at, finished_at) "
                    + "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement at = c.prepareStatement("INSERT INTO durable_attempts (id, operation_id, step, visit, status, generation, "
                         + "dispatch_pending, attempt_count, scheduled_at, started_at, finished_at, last_error_class, created_at, updated_at) "
                         + "VALUES (?, ?, ?, 1, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement er = c.prepareStatement("INSERT INTO durable_attempt_errors (attempt_id, try_number, operation_id, "
                         + "error_class, message, stack_trace, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement sa = c.prepareStatement("INSERT INTO durable_search_attributes (operation_id, name, definition, attr_value) "
                         + "VALUES (?, 'customer', ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    UUID id = UUID.randomUUID();
                    UUID attempt = UUID.randomUUID();
                    ids.add(id);
                    String definition = "def-" + random.nextInt(10);
                    String step = "step-" + random.nextInt(5);
                    int roll = random.nextInt(100);
                    OperationStatus status = roll < 70 ? OperationStatus.COMPLETED : roll < 85 ? OperationStatus.RUNNING
                            : roll < 95 ? OperationStatus.FAILED : roll < 98 ? OperationStatus.CANCELLED : OperationStatus.EXPIRED;
                    Instant created = NOW.minusSeconds(30L * 24 * 3600).plusMillis((long) i * 25_920 + random.nextInt(1000));
                    Instant updated = created.plusSeconds(random.nextInt(7 * 24 * 3600));
                    boolean ended = status != OperationStatus.RUNNING;
                    int tries = status == OperationStatus.FAILED ? 1 + random.nextInt(3) : 1;
                    String errorClass = status == OperationStatus.FAILED ? CLASSES[random.nextInt(CLASSES.length)] : null;
                    op.setString(1, id.toString());
                    op.setString(2, definition);
                    op.setString(3, status.name());
                    op.setString(4, step);
                    op.setString(5, attempt.toString());
                    op.setString(6, errorClass == null ? null : "step '" + step + "' failed after " + tries + " attempts with " + errorClass);
                    op.setString(7, i % 2 == 0 ? "order-" + i : null);
                    SqlValues.setInstant(op, 8, created);
                    SqlValues.setInstant(op, 9, updated);
                    SqlValues.setInstant(op, 10, ended ? updated : null);
                    op.addBatch();
                    at.setString(1, attempt.toString());
                    at.setString(2, id.toString());
                    at.setString(3, step);
                    at.setString(4, switch (status) {
                        case COMPLETED -> "SUCCEEDED";
                        case RUNNING -> "SCHEDULED";
                        default -> status.name();
                    });
                    at.setInt(5, tries);
                    SqlValues.setInstant(at, 6, ended ? created : updated.plusSeconds(3600));
                    SqlValues.setInstant(at, 7, ended ? created : null);
                    SqlValues.setInstant(at, 8, ended ? updated : null);
                    at.setString(9, errorClass);
                    SqlValues.setInstant(at, 10, created);
                    SqlValues.setInstant(at, 11, updated);
                    at.addBatch();
                    for (int t = 1; errorClass != null && t <= tries; t++) {
                        er.setString(1, attempt.toString());
                        er.setInt(2, t);
                        er.setString(3, id.toString());
                        er.setString(4, errorClass);
                        er.setBytes(5, encryptor.encrypt(("upstream refused request " + i + " (try " + t + ")\n\tcaused by: timeout")
                                .getBytes(StandardCharsets.UTF_8)));
                        er.setBytes(6, encryptor.encrypt(("java.lang.Exception\n\tat com.acme.Step.run(Step.java:" + t + ")").getBytes(StandardCharsets.UTF_8)));
                        SqlValues.setInstant(er, 7, updated.minusSeconds(60L * (tries - t)));
                        er.addBatch();
                    }
                    sa.setString(1, id.toString());
                    sa.setString(2, definition);
                    sa.setString(3, "c-" + random.nextInt(5000));
                    sa.addBatch();
                    if (i % 1000 == 999 || i == n - 1) {
                        op.executeBatch();
                        at.executeBatch();
                        er.executeBatch();
                        sa.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        return ids;
    }
}

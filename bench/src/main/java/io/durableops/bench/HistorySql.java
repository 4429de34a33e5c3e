package io.durableops.bench;

/**
 * The bulk SQL of {@link HistorySeed} for the operations numbered {@code from} to {@code to}, on MariaDB (sequence
 * engine tables) or PostgreSQL (generate_series). Every statement takes the seed's base time as its first parameter;
 * operation n was created at base + n x {@link HistorySeed#MICROS_APART} µs and ran its ten steps 100 ms apart. Of the
 * operations, 1 in 20 FAILED (its last step after 3 tries, each with its error row), 1 in 100 was CANCELLED by an
 * operator (with its audit row), the others COMPLETED with results; half have an idempotency key, all a search attribute.
 */
final class HistorySql {
    private final Database.Kind kind;
    private final long from;
    private final long to;

    HistorySql(Database.Kind kind, long from, long to) {
        this.kind = kind;
        this.from = from;
        this.to = to;
    }

    private boolean pg() {
        return kind == Database.Kind.POSTGRES;
    }

    /** The operation's number. */
    private String n() {
        return pg() ? "s.n" : "s.seq";
    }

    private String numbers() {
        return pg() ? "generate_series(CAST(" + from + " AS BIGINT), CAST(" + to + " AS BIGINT)) AS s(n)" : "seq_" + from + "_to_" + to + " s";
    }

    private String small(String alias, int count) {
        return pg() ? "generate_series(1, " + count + ") AS " + alias + "(n)" : "seq_1_to_" + count + " " + alias;
    }

    private String params(String... bytes) {
        StringBuilder sb = new StringBuilder("(SELECT CAST(? AS " + (pg() ? "TIMESTAMP" : "DATETIME(6)") + ") AS base");
        for (String name : bytes) sb.append(pg() ? ", CAST(? AS BYTEA) AS " : ", ? AS ").append(name);
        return sb.append(") p").toString();
    }

    private String hex(String x, int width) {
        return pg() ? "lpad(to_hex(" + x + "), " + width + ", '0')" : "LOWER(LPAD(HEX(" + x + "), " + width + ", '0'))";
    }

    private String text(String x) {
        return "CAST(" + x + " AS " + (pg() ? "TEXT" : "CHAR") + ")";
    }

    private String at(String micros) {
        return pg() ? "(p.base + (" + micros + ") * INTERVAL '1 microsecond')" : "TIMESTAMPADD(MICROSECOND, " + micros + ", p.base)";
    }

    private String created() {
        return n() + " * " + HistorySeed.MICROS_APART;
    }

    private String operationId() {
        return "CONCAT(" + hex(n(), 8) + ", '-0000-4000-8000-', " + hex(n(), 12) + ")";
    }

    private String attemptId(String visit) {
        return "CONCAT(" + hex(n(), 8) + ", '-', " + hex(visit, 4) + ", '-4000-9000-', " + hex(n(), 12) + ")";
    }

    private String definition() {
        return "CASE " + n() + " % 4 WHEN 0 THEN 'history-order' WHEN 1 THEN 'history-invoice' WHEN 2 THEN 'history-email' ELSE 'history-report' END";
    }

    private String failed() {
        return n() + " % 20 = 0";
    }

    private String cancelled() {
        return n() + " % 100 = 1";
    }

    String operations() {
        return "INSERT INTO durable_operations (id, definition, definition_version, status, current_step, current_attempt_id, globals, "
                + "results, failure_reason, idempotency_key, created_at, updated_at, finished_at) SELECT " + operationId() + ", "
                + definition() + ", 1, CASE WHEN " + failed() + " THEN 'FAILED' WHEN " + cancelled() + " THEN 'CANCELLED' ELSE 'COMPLETED' END, "
                + "'done', " + attemptId(String.valueOf(HistorySeed.STEPS)) + ", p.g, CASE WHEN NOT (" + failed() + " OR " + cancelled() + ") THEN p.r END, "
                + "CASE WHEN " + failed() + " THEN 'step done failed after 3 tries: java.lang.IllegalStateException' WHEN " + cancelled()
                + " THEN 'cancelled by an operator' END, CASE WHEN " + n() + " % 2 = 0 THEN CONCAT('key-', LPAD(" + text(n()) + ", 8, '0')) END, "
                + at(created()) + ", " + at(created() + " + 1000000") + ", " + at(created() + " + 1000000")
                + " FROM " + params("g", "r") + " CROSS JOIN " + numbers() + " ORDER BY " + n();
    }

    String attempts() {
        String v = pg() ? "v.n" : "v.seq";
        String last = v + " = " + HistorySeed.STEPS;
        String start = created() + " + (" + v + " - 1) * 100000";
        return "INSERT INTO durable_attempts (id, operation_id, step, visit, status, generation, dispatch_pending, attempt_count, scheduled_at, "
                + "started_at, finished_at, last_error_class, created_at, updated_at) SELECT " + attemptId(v) + ", " + operationId() + ", "
                + "CASE WHEN " + last + " THEN 'done' ELSE CONCAT('step-', " + text(v) + ") END, " + v + ", "
                + "CASE WHEN " + v + " < " + HistorySeed.STEPS + " THEN 'SUCCEEDED' WHEN " + failed() + " THEN 'FAILED' WHEN " + cancelled()
                + " THEN 'CANCELLED' ELSE 'SUCCEEDED' END, 1, 0, CASE WHEN " + last + " AND " + failed() + " THEN 3 ELSE 1 END, "
                + at(start) + ", " + at(start) + ", " + at(start + " + 50000") + ", CASE WHEN " + last + " AND " + failed()
                + " THEN 'java.lang.IllegalStateException' END, " + at(start) + ", " + at(start + " + 50000")
                + " FROM " + params() + " CROSS JOIN " + numbers() + " CROSS JOIN " + small("v", HistorySeed.STEPS) + " ORDER BY " + n() + ", " + v;
    }

    String errors() {
        String t = pg() ? "t.n" : "t.seq";
        return "INSERT INTO durable_attempt_errors (attempt_id, try_number, operation_id, error_class, message, stack_trace, occurred_at) "
                + "SELECT " + attemptId(String.valueOf(HistorySeed.STEPS)) + ", " + t + ", " + operationId() + ", 'java.lang.IllegalStateException', "
                + "p.m, p.st, " + at(created() + " + 900000 + " + t + " * 10000") + " FROM " + params("m", "st") + " CROSS JOIN " + numbers()
                + " CROSS JOIN " + small("t", 3) + " WHERE " + failed() + " ORDER BY " + n() + ", " + t;
    }

    String searchAttributes() {
        return "INSERT INTO durable_search_attributes (operation_id, name, definition, attr_value) SELECT " + operationId() + ", 'customer', "
                + definition() + ", CONCAT('c-', " + text(n() + " % 10000") + ") FROM " + params() + " CROSS JOIN " + numbers()
                + " ORDER BY " + n();
    }

    String audit() {
        return "INSERT INTO durable_audit (operation_id, actor, action, detail, occurred_at) SELECT " + operationId() + ", 'admin', 'cancel', "
                + "NULL, " + at(created() + " + 950000") + " FROM " + params() + " CROSS JOIN " + numbers() + " WHERE " + cancelled()
                + " ORDER BY " + n();
    }
}

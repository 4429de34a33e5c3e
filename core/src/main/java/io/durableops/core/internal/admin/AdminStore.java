package io.durableops.core.internal.admin;

import io.durableops.core.AttemptStatus;
import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.internal.Limits;

import java.sql.Connection;
import io.durableops.core.internal.store.Sql;
import io.durableops.core.internal.store.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin service's SQL: the operations list, counts, retry-from and the audit trail. Bound parameters only;
 * timestamps bound and read as the engine's own store does ({@link SqlValues#setInstant}, {@link SqlValues#instant}).
 */
final class AdminStore {
    private static final String AUDIT_COLUMNS = "sequence_no, operation_id, actor, action, detail, occurred_at";
    private static final String SUMMARY_COLUMNS = "o.id, o.definition, o.definition_version, o.status, o.current_step, "
            + "a.status AS a_status, a.attempt_count AS a_attempt_count, a.scheduled_at AS a_scheduled_at, o.failure_reason, "
            + "o.idempotency_key, o.created_at, o.updated_at, o.finished_at, CASE WHEN a.dispatch_pending = "
            + io.durableops.core.internal.store.PermitStore.QUEUED + " AND a.status = 'SCHEDULED' THEN a.reason END AS queued_reason";

    /** The operation columns of a page, read before its attempts are joined. */
    private static final String PAGE_COLUMNS = "o.id, o.definition, o.definition_version, o.status, o.current_step, o.current_attempt_id, "
            + "o.failure_reason, o.idempotency_key, o.created_at, o.updated_at, o.finished_at";

    /** The operation of a retry-from: what it needs to be moved. */
    record Target(UUID id, String definition, int version, OperationStatus status) {
    }

    List<OperationSummary> page(Connection c, Where where, io.durableops.core.admin.OperationSort sort, int limit) throws SQLException {
        // why the page's operations first, then their attempts: a page's LIMIT then bounds what is read on every
        // database; joined first, H2 2.2 (which read no index backwards) sorted the operations with their attempts
        // (470 ms at 100,000; 40 ms alone)
        return Sql.list(c, "SELECT " + SUMMARY_COLUMNS + " FROM (SELECT " + PAGE_COLUMNS + " FROM durable_operations o" + where.sql()
                + Where.orderBy(sort) + " LIMIT ?) o LEFT JOIN durable_attempts a ON a.id = o.current_attempt_id" + Where.orderBy(sort), 0,
                ps -> ps.setInt(where.bind(ps, 1), limit), AdminStore::summary);
    }

    long count(Connection c, Where where) throws SQLException {
        return Sql.first(c, "SELECT COUNT(*) AS n FROM durable_operations o" + where.sql(), ps -> where.bind(ps, 1), rs -> rs.getLong("n"))
                .orElse(0L);
    }

    Map<OperationStatus, Long> countByStatus(Connection c, Where where) throws SQLException {
        Map<OperationStatus, Long> counts = new EnumMap<>(OperationStatus.class);
        for (OperationStatus s : OperationStatus.values()) counts.put(s, 0L);
        for (Map.Entry<OperationStatus, Long> e : Sql.list(c, "SELECT o.status, COUNT(*) AS n FROM durable_operations o" + where.sql()
                + " GROUP BY o.status", 0, ps -> where.bind(ps, 1), rs -> Map.entry(OperationStatus.valueOf(rs.getString("status")), rs.getLong("n")))) {
            counts.put(e.getKey(), e.getValue());
        }
        return counts;
    }

    /**
     * Per status, the count of at most {@code bound} + 1 matching rows. First the statuses of at most {@code bound} + 1
     * matching rows in one pass: when no more match, those counts are exact and that is all (a narrow filter costs one
     * pass of its plan). Otherwise one statement of a LIMIT subquery per status, so no status costs more than
     * {@code bound} + 1 rows (the (status, created_at, id) index of V3 serves each).
     */
    io.durableops.core.admin.StatusCounts countByStatus(Connection c, Where where, int bound) throws SQLException {
        Map<OperationStatus, Long> few = new EnumMap<>(OperationStatus.class);
        for (Map.Entry<OperationStatus, Long> e : Sql.list(c, "SELECT x.status, COUNT(*) AS n FROM (SELECT o.status FROM durable_operations o"
                + where.sql() + " LIMIT ?) x GROUP BY x.status", 0, ps -> ps.setLong(where.bind(ps, 1), bound + 1L),
                rs -> Map.entry(OperationStatus.valueOf(rs.getString("status")), rs.getLong("n")))) {
            few.put(e.getKey(), e.getValue());
        }
        if (few.values().stream().mapToLong(Long::longValue).sum() <= bound) {
            return new io.durableops.core.admin.StatusCounts(few, bound, java.util.Set.of());
        }
        OperationStatus[] statuses = OperationStatus.values();
        StringBuilder sql = new StringBuilder();
        String filters = where.sql().isEmpty() ? " WHERE " : where.sql() + " AND ";
        for (int k = 0; k < statuses.length; k++) {
            if (k > 0) sql.append(" UNION ALL ");
            // why the ordinal as a literal: PostgreSQL cannot type a bound parameter in a UNION's select list
            sql.append("SELECT ").append(k).append(" AS k, COUNT(*) AS n FROM (SELECT 1 AS one FROM durable_operations o")
                    .append(filters).append("o.status = ? LIMIT ?) c").append(k);
        }
        Map<OperationStatus, Long> counts = new EnumMap<>(OperationStatus.class);
        java.util.Set<OperationStatus> capped = java.util.EnumSet.noneOf(OperationStatus.class);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (OperationStatus s : statuses) {
                i = where.bind(ps, i);
                ps.setString(i++, s.name());
                ps.setLong(i++, bound + 1L);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OperationStatus s = statuses[rs.getInt("k")];
                    long n = rs.getLong("n");
                    if (n > bound) capped.add(s);
                    counts.put(s, Math.min(n, bound));
                }
            }
        }
        return new io.durableops.core.admin.StatusCounts(counts, bound, capped);
    }

    Optional<Target> target(Connection c, UUID id) throws SQLException {
        // why locked: the retry is decided from the operation as it is now, and nobody changes it meanwhile
        return Sql.first(c, "SELECT id, definition, definition_version, status FROM durable_operations WHERE id = ? FOR UPDATE",
                ps -> ps.setString(1, id.toString()), rs -> new Target(UUID.fromString(rs.getString("id")), rs.getString("definition"),
                        rs.getInt("definition_version"), OperationStatus.valueOf(rs.getString("status"))));
    }

    int lastVisit(Connection c, UUID operationId) throws SQLException {
        // MAX of no rows is NULL, read as 0
        return Sql.first(c, "SELECT MAX(visit) AS visit FROM durable_attempts WHERE operation_id = ?", ps -> ps.setString(1, operationId.toString()),
                rs -> rs.getInt("visit")).orElse(0);
    }

    /** The (encrypted) arguments the step ran with on its latest visit, or null if it never ran. */
    byte[] lastArgs(Connection c, UUID operationId, String step) throws SQLException {
        return Sql.first(c, "SELECT args FROM durable_attempts WHERE operation_id = ? AND step = ? ORDER BY visit DESC LIMIT 1", ps -> {
            ps.setString(1, operationId.toString());
            ps.setString(2, step);
        }, rs -> rs.getBytes("args")).orElse(null);
    }

    /**
     * Points a stopped operation at a new attempt and makes it RUNNING, if it is still in {@code from}; on
     * {@code version} when not null (a move to the latest version). An operation that had ended gives up its place under a
     * per-key limit: it takes one again, in its old place in line, before it runs (see PermitStore.lockKey).
     */
    boolean restartAt(Connection c, UUID id, OperationStatus from, String step, UUID attemptId, Integer version, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE durable_operations SET status = 'RUNNING', current_step = ?, "
                + "current_attempt_id = ?, failure_reason = NULL, updated_at = ?, finished_at = NULL, "
                + "definition_version = COALESCE(?, definition_version), admitted = COALESCE(?, admitted) WHERE id = ? AND status = ?")) {
            ps.setString(1, step);
            ps.setString(2, attemptId.toString());
            setInstant(ps, 3, now);
            if (version == null) ps.setNull(4, Types.INTEGER);
            else ps.setInt(4, version);
            if (from.isTerminal()) ps.setInt(5, 0);
            else ps.setNull(5, Types.INTEGER);
            ps.setString(6, id.toString());
            ps.setString(7, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** An operator's action; {@code bulkRun} is the id of the bulk run it is part of, or null. */
    void insertAudit(Connection c, UUID operationId, String actor, String action, String detail, UUID bulkRun, Instant now)
            throws SQLException {
        insertAuditRow(c, operationId, actor, action, detail, bulkRun, null, now);
    }

    /** The one INSERT of the audit trail: an operator's action, or an access event with its client address. */
    private static void insertAuditRow(Connection c, UUID operationId, String actor, String action, String detail, UUID bulkRun,
                                       String clientAddress, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO durable_audit (operation_id, actor, action, detail, bulk_run, client_address, occurred_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, operationId == null ? null : operationId.toString());
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, Limits.truncate(detail));
            ps.setString(5, bulkRun == null ? null : bulkRun.toString());
            ps.setString(6, clientAddress);
            setInstant(ps, 7, now);
        });
    }

    List<AuditEntry> auditOf(Connection c, UUID operationId) throws SQLException {
        return Sql.list(c, "SELECT " + AUDIT_COLUMNS + " FROM durable_audit WHERE operation_id = ? ORDER BY sequence_no", 0,
                ps -> ps.setString(1, operationId.toString()), rs -> auditEntry(rs, false));
    }

    List<AuditEntry> recentAudit(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + AUDIT_COLUMNS + " FROM durable_audit ORDER BY sequence_no DESC LIMIT ?", 0,
                ps -> ps.setInt(1, limit), rs -> auditEntry(rs, false));
    }

    /** An audit row of {@link #AUDIT_COLUMNS}, with its client address when {@code withClient} (a query that reads it). */
    private static AuditEntry auditEntry(ResultSet rs, boolean withClient) throws SQLException {
        String op = rs.getString("operation_id");
        return new AuditEntry(rs.getLong("sequence_no"), op == null ? null : OperationId.parse(op), rs.getString("actor"),
                rs.getString("action"), Optional.ofNullable(rs.getString("detail")), SqlValues.instant(rs, "occurred_at"),
                withClient ? Optional.ofNullable(rs.getString("client_address")) : Optional.empty());
    }

    private static OperationSummary summary(ResultSet rs) throws SQLException {
        return new OperationSummary(OperationId.parse(rs.getString("id")), rs.getString("definition"), rs.getInt("definition_version"),
                OperationStatus.valueOf(rs.getString("status")), rs.getString("current_step"),
                Optional.ofNullable(rs.getString("a_status")).map(AttemptStatus::valueOf), rs.getInt("a_attempt_count"),
                Optional.ofNullable(SqlValues.instant(rs, "a_scheduled_at")), Optional.ofNullable(rs.getString("failure_reason")),
                Optional.ofNullable(rs.getString("idempotency_key")), SqlValues.instant(rs, "created_at"), SqlValues.instant(rs, "updated_at"),
                Optional.ofNullable(SqlValues.instant(rs, "finished_at")), Optional.ofNullable(rs.getString("queued_reason")));
    }

    /** The engine's binding (UTC text with microseconds; see {@link SqlValues#setInstant}), so keyset cursors are exact. */
    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        SqlValues.setInstant(ps, index, value);
    }

    // ---- access events and the paged audit trail (admin UI security) ------------------------------------------

    void insertAccess(Connection c, UUID operationId, String actor, String action, String detail, String clientAddress, Instant now)
            throws SQLException {
        insertAuditRow(c, operationId, actor, action, detail, null, clientAddress, now);
    }

    /** Newest first, keyset on sequence_no; each filter given adds one bound predicate. */
    List<AuditEntry> auditPage(Connection c, AuditQuery q, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + AUDIT_COLUMNS + ", client_address FROM durable_audit WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.actor().ifPresent(v -> { sql.append(" AND actor = ?"); args.add(v); });
        q.action().ifPresent(v -> { sql.append(" AND action = ?"); args.add(v); });
        q.operationId().ifPresent(v -> { sql.append(" AND operation_id = ?"); args.add(v.toString()); });
        q.clientAddress().ifPresent(v -> { sql.append(" AND client_address = ?"); args.add(v); });
        q.occurredFrom().ifPresent(v -> { sql.append(" AND occurred_at >= ?"); args.add(v); });
        q.occurredBefore().ifPresent(v -> { sql.append(" AND occurred_at < ?"); args.add(v); });
        q.before().ifPresent(v -> { sql.append(" AND sequence_no < ?"); args.add(v); });
        sql.append(" ORDER BY sequence_no DESC LIMIT ?");
        return Sql.list(c, sql.toString(), 0, ps -> {
            int i = 1;
            for (Object arg : args) {
                if (arg instanceof Instant t) setInstant(ps, i++, t);
                else if (arg instanceof Long n) ps.setLong(i++, n);
                else ps.setString(i++, (String) arg);
            }
            ps.setInt(i, limit);
        }, rs -> auditEntry(rs, true));
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}

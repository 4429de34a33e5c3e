package io.durableops.core.internal.store;

import io.durableops.core.OperationStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.batch;
import static io.durableops.core.internal.store.SqlValues.batchCounts;
import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.uuid;

/** The SQL of flow control: parking and waking wait steps, signals, children, deadlines and search attributes. */
public final class FlowStore {

    /** A signal as stored (payload encrypted). */
    public record Signal(UUID id, String name, byte[] payload) {
    }

    /** An operation whose deadline passed. */
    public record Expired(UUID id, String definition, Instant deadline) {
    }

    // ---- parking and waking ----------------------------------------------------------------------------------

    /**
     * Parks a wait step whose condition does not hold yet: the try this runner claimed goes back to SCHEDULED until
     * {@code until} under a new generation, and does not count as a try. Returns whether a wake-up arrived while it
     * was being evaluated (then {@code until} was replaced by {@code now} and it must be dispatched at once), or
     * empty if the attempt was no longer this runner's.
     */
    public Optional<Boolean> park(Connection c, UUID id, int attemptCount, Instant until, boolean dispatch, Instant now) throws SQLException {
        boolean woken;
        try (Sql.Prepared p = Sql.prepare(c, "SELECT wake_pending FROM durable_attempts WHERE id = ? AND status = 'RUNNING' "
                + "AND attempt_count = ? FOR UPDATE")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            ps.setInt(2, attemptCount);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                woken = rs.getInt(1) == 1;
            }
        }
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = 'SCHEDULED', generation = generation + 1, "
                + "attempt_count = attempt_count - 1, scheduled_at = ?, dispatch_pending = ?, lease_until = NULL, wake_pending = 0, "
                + "updated_at = ? WHERE id = ?")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, woken ? now : until);
            ps.setInt(2, woken || dispatch ? 1 : 0);
            setInstant(ps, 3, now);
            ps.setString(4, id.toString());
            ps.executeUpdate();
        }
        return Optional.of(woken);
    }

    /**
     * Wakes the current attempt of a running operation if it is a parked wait: due now under a new generation (returns
     * true: dispatch it), or, while it is being evaluated, marked so that its evaluation runs again (returns false).
     * The attempt row is locked first, so a wake-up is never lost between an evaluation and its parking.
     */
    public boolean wake(Connection c, UUID attemptId, Instant now) throws SQLException {
        String status;
        Instant scheduledAt;
        try (Sql.Prepared p = Sql.prepare(c, "SELECT status, scheduled_at FROM durable_attempts WHERE id = ? FOR UPDATE")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, attemptId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                status = rs.getString("status");
                scheduledAt = instant(rs, "scheduled_at");
            }
        }
        if ("RUNNING".equals(status)) {
            try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET wake_pending = 1 WHERE id = ?")) {
                PreparedStatement ps = p.ps();
                ps.setString(1, attemptId.toString());
                ps.executeUpdate();
            }
            return false;
        }
        if (!"SCHEDULED".equals(status) || !scheduledAt.isAfter(now)) return false; // already due: it will see what arrived
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET generation = generation + 1, scheduled_at = ?, "
                + "dispatch_pending = 1, updated_at = ? WHERE id = ? AND status = 'SCHEDULED'")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            setInstant(ps, 2, now);
            ps.setString(3, attemptId.toString());
            return ps.executeUpdate() == 1;
        }
    }

    // ---- signals ---------------------------------------------------------------------------------------------

    public void insertSignal(Connection c, UUID id, UUID operationId, String name, byte[] payload, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "INSERT INTO durable_signals (id, operation_id, name, payload, received_at) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            ps.setString(2, operationId.toString());
            ps.setString(3, name);
            setBytes(ps, 4, payload);
            setInstant(ps, 5, now);
            ps.executeUpdate();
        }
    }

    /** The oldest signal {@code name} of the operation that no wait has consumed. */
    public Optional<Signal> firstUnconsumed(Connection c, UUID operationId, String name) throws SQLException {
        return Sql.list(c, "SELECT id, name, payload FROM durable_signals WHERE operation_id = ? AND name = ? "
                + "AND consumed_at IS NULL ORDER BY received_at, id", 1, ps -> {
                    ps.setString(1, operationId.toString());
                    ps.setString(2, name);
                }, rs -> new Signal(uuid(rs, "id"), rs.getString("name"), rs.getBytes("payload"))).stream().findFirst();
    }

    /** The names of the operation's signals no wait has consumed, oldest first. */
    public List<String> unconsumedNames(Connection c, UUID operationId) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT name FROM durable_signals WHERE operation_id = ? AND consumed_at IS NULL "
                + "ORDER BY received_at, id")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, operationId.toString());
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
            return names;
        }
    }

    public boolean consume(Connection c, UUID signalId, UUID attemptId, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_signals SET consumed_at = ?, consumed_by = ? "
                + "WHERE id = ? AND consumed_at IS NULL")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, attemptId.toString());
            ps.setString(3, signalId.toString());
            return ps.executeUpdate() == 1;
        }
    }

    // ---- children --------------------------------------------------------------------------------------------

    public Map<OperationStatus, Integer> childCounts(Connection c, UUID parentId) throws SQLException {
        Map<OperationStatus, Integer> counts = new EnumMap<>(OperationStatus.class);
        try (Sql.Prepared p = Sql.prepare(c, "SELECT status, COUNT(*) AS children FROM durable_operations WHERE parent_id = ? GROUP BY status")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, parentId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(OperationStatus.valueOf(rs.getString("status")), rs.getInt("children"));
            }
        }
        return counts;
    }

    /** Children as {id, definition, status, results (encrypted), failure reason}, oldest first. */
    public List<Rows.Operation> children(Connection c, UUID parentId, JdbcStore store) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Sql.Prepared p = Sql.prepare(c, "SELECT id FROM durable_operations WHERE parent_id = ? ORDER BY created_at, id")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, parentId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(uuid(rs, 1));
            }
        }
        List<Rows.Operation> children = new ArrayList<>();
        for (UUID id : ids) store.findOperation(c, id).ifPresent(children::add);
        return children;
    }

    /**
     * The running children of {@code parentId}, locked: a locking read sees a child that a step of the parent started
     * after this transaction's snapshot was taken (MySQL's REPEATABLE READ), so an ended parent leaves none running.
     */
    public List<UUID> runningChildren(Connection c, UUID parentId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Sql.Prepared p = Sql.prepare(c, "SELECT id FROM durable_operations WHERE parent_id = ? AND status = 'RUNNING' FOR UPDATE")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, parentId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(uuid(rs, 1));
            }
        }
        return ids;
    }

    // ---- deadlines -------------------------------------------------------------------------------------------

    /**
     * An operator retried an operation: the deadlines that ended it no longer apply. The operation's deadline is
     * dropped and the attempt's wait deadline starts again from {@code waitDeadline} (null for none).
     */
    public void resetDeadlines(Connection c, UUID operationId, UUID attemptId, Instant waitDeadline) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_operations SET deadline_at = NULL WHERE id = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, operationId.toString());
            ps.executeUpdate();
        }
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET deadline_at = ? WHERE id = ?")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, waitDeadline);
            ps.setString(2, attemptId.toString());
            ps.executeUpdate();
        }
    }

    public List<Expired> pastDeadline(Connection c, Instant now, int limit) throws SQLException {
        return Sql.list(c, "SELECT id, definition, deadline_at FROM durable_operations "
                + "WHERE status = 'RUNNING' AND deadline_at < ? ORDER BY deadline_at", limit, ps -> setInstant(ps, 1, now),
                rs -> new Expired(uuid(rs, "id"), rs.getString("definition"), instant(rs, "deadline_at")));
    }

    // ---- retention -------------------------------------------------------------------------------------------

    /** Deletes up to {@code limit} operations that finished before {@code before}; returns how many. */
    public int purgeFinished(Connection c, Instant before, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Sql.Prepared p = Sql.prepare(c, "SELECT id FROM durable_operations WHERE finished_at < ? "
                + "AND status IN ('COMPLETED', 'FAILED', 'EXPIRED', 'CANCELLED') ORDER BY finished_at")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, before);
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        if (ids.isEmpty()) return 0;
        // why the conditions again: an operator may have retried one of them since it was read; it is running again
        int[] deleted = batchCounts(c, "DELETE FROM durable_operations WHERE id = ? AND finished_at < ? "
                + "AND status IN ('COMPLETED', 'FAILED', 'EXPIRED', 'CANCELLED')", ids, (ps, id) -> {
                    ps.setString(1, id);
                    setInstant(ps, 2, before);
                });
        int count = 0;
        for (int n : deleted) count += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, n);
        return count;
    }

    // ---- search attributes -----------------------------------------------------------------------------------

    public void replaceSearchAttributes(Connection c, UUID operationId, String definition, Map<String, String> values) throws SQLException {
        try (Sql.Prepared d = Sql.prepare(c, "DELETE FROM durable_search_attributes WHERE operation_id = ?")) {
            PreparedStatement delete = d.ps();
            delete.setString(1, operationId.toString());
            delete.executeUpdate();
        }
        if (values.isEmpty()) return;
        batch(c, "INSERT INTO durable_search_attributes (operation_id, name, definition, attr_value) VALUES (?, ?, ?, ?)",
                values.entrySet(), (ps, entry) -> {
                    ps.setString(1, operationId.toString());
                    ps.setString(2, entry.getKey());
                    ps.setString(3, definition);
                    ps.setString(4, entry.getValue());
                });
    }

    public List<UUID> findBySearchAttribute(Connection c, String definition, String name, String value, int limit) throws SQLException {
        String sql = "SELECT s.operation_id FROM durable_search_attributes s JOIN durable_operations o ON o.id = s.operation_id "
                + "WHERE s.name = ? AND s.attr_value = ?" + (definition == null ? "" : " AND s.definition = ?")
                + " ORDER BY o.created_at DESC, o.id";
        try (Sql.Prepared p = Sql.prepare(c, sql)) {
            PreparedStatement ps = p.ps();
            ps.setString(1, name);
            ps.setString(2, value);
            if (definition != null) ps.setString(3, definition);
            ps.setMaxRows(limit);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(uuid(rs, 1));
            }
            return ids;
        }
    }
}

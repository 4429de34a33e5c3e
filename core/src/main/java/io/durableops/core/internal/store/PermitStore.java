package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.uuid;

/**
 * The SQL of limits (see V14__limits.sql): the places of concurrency and rate limits, attempts queued for a place,
 * and the operations of a per-key limit.
 */
public final class PermitStore {
    /** {@code dispatch_pending} of an attempt queued behind a limit: only a place that frees up (or the relay) wakes it. */
    public static final int QUEUED = 4;

    private PermitStore() {
    }

    /** The places of {@code limit} that exist, among 0 to {@code permits - 1}. */
    public static Set<Integer> existing(Connection c, String limit, int permits) throws SQLException {
        Set<Integer> found = new HashSet<>();
        try (Sql.Prepared p = Sql.prepare(c, "SELECT permit FROM durable_permits WHERE limit_name = ? AND permit < ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, limit);
            ps.setInt(2, permits);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(rs.getInt(1));
            }
        }
        return found;
    }

    /** Adds place {@code permit} of {@code limit}, free; a duplicate key if another node added it first. */
    public static void add(Connection c, String limit, int permit) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "INSERT INTO durable_permits (limit_name, permit) VALUES (?, ?)")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, limit);
            ps.setInt(2, permit);
            ps.executeUpdate();
        }
    }

    /** The places of {@code limit} (among the first {@code permits}) free at {@code now}, lowest first. */
    public static List<Integer> free(Connection c, String limit, int permits, Instant now) throws SQLException {
        List<Integer> free = new ArrayList<>();
        try (Sql.Prepared p = Sql.prepare(c, "SELECT permit FROM durable_permits WHERE limit_name = ? AND permit < ? "
                + "AND (busy_until IS NULL OR busy_until <= ?) ORDER BY permit")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, limit);
            ps.setInt(2, permits);
            setInstant(ps, 3, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) free.add(rs.getInt(1));
            }
        }
        return free;
    }

    /**
     * Takes place {@code permit} of {@code limit} until {@code until} if it is still free at {@code now} (a
     * compare-and-set: of two nodes taking it, one wins); {@code holder} and {@code token} say whose it is (null for a
     * rate limit's place, which nobody gives back).
     */
    public static boolean take(Connection c, String limit, int permit, UUID holder, UUID token, Instant until, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_permits SET holder = ?, token = ?, busy_until = ? "
                + "WHERE limit_name = ? AND permit = ? AND (busy_until IS NULL OR busy_until <= ?)")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, holder == null ? null : holder.toString());
            ps.setString(2, token == null ? null : token.toString());
            setInstant(ps, 3, until);
            ps.setString(4, limit);
            ps.setInt(5, permit);
            setInstant(ps, 6, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Gives back a place taken with {@code token}; nothing if its lease ran out and another took it since. */
    public static void giveBack(Connection c, String limit, int permit, UUID token) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_permits SET holder = NULL, token = NULL, busy_until = NULL "
                + "WHERE limit_name = ? AND permit = ? AND token = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, limit);
            ps.setInt(2, permit);
            ps.setString(3, token.toString());
            ps.executeUpdate();
        }
    }

    /** Extends the places {@code holder} (a node) holds until {@code until}, if they are still its own. */
    public static void renew(Connection c, UUID holder, Instant until, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_permits SET busy_until = ? WHERE holder = ? AND busy_until > ?")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, until);
            ps.setString(2, holder.toString());
            setInstant(ps, 3, now);
            ps.executeUpdate();
        }
    }

    /** When the first busy place of {@code limit} frees up, if one is busy. */
    public static Instant nextFree(Connection c, String limit, int permits, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT MIN(busy_until) FROM durable_permits WHERE limit_name = ? AND permit < ? "
                + "AND busy_until > ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, limit);
            ps.setInt(2, permits);
            setInstant(ps, 3, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? instant(rs, 1) : null;
            }
        }
    }

    // ---- queued attempts -------------------------------------------------------------------------------------------

    /** Up to {@code limit} attempts queued behind {@code queuedFor}, highest priority first, then oldest. */
    public static List<Rows.Pending> queued(Connection c, String queuedFor, int limit) throws SQLException {
        if (limit <= 0) return List.of();
        return pending(c, "a.queued_for = ? AND a.dispatch_pending = " + QUEUED + " AND a.status = 'SCHEDULED' AND o.status = 'RUNNING' "
                + "ORDER BY o.priority DESC, a.created_at, a.id", queuedFor, limit);
    }

    /** The attempt if it is queued behind a limit. */
    public static Rows.Pending queuedAttempt(Connection c, UUID attemptId) throws SQLException {
        List<Rows.Pending> found = pending(c, "a.id = ? AND a.dispatch_pending = " + QUEUED + " AND a.status = 'SCHEDULED' AND o.status = 'RUNNING'",
                attemptId.toString(), 1);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Rows.Pending> pending(Connection c, String where, String parameter, int limit) throws SQLException {
        return Sql.list(c, Columns.SELECT_PENDING + where, limit, ps -> ps.setString(1, parameter), Columns::pending);
    }

    /** What queued attempts wait for, up to {@code limit} distinct names: the relay's pass looks at each. */
    public static List<String> queuedFor(Connection c, int limit) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT DISTINCT queued_for FROM durable_attempts WHERE dispatch_pending = " + QUEUED
                + " AND status = 'SCHEDULED'")) {
            PreparedStatement ps = p.ps();
            ps.setMaxRows(limit);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
            return names;
        }
    }

    /** Wakes a queued attempt: its dispatch pending again under a new generation; false if it was not queued any more. */
    public static boolean wake(Connection c, UUID attemptId, int generation, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET dispatch_pending = 1, generation = generation + 1, "
                + "reason = NULL, updated_at = ? WHERE id = ? AND generation = ? AND dispatch_pending = " + QUEUED + " AND status = 'SCHEDULED'")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, attemptId.toString());
            ps.setInt(3, generation);
            return ps.executeUpdate() == 1;
        }
    }

    /** Why the attempt waits, if it is queued behind a limit. */
    public static String queuedReason(Connection c, UUID attemptId) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT reason FROM durable_attempts WHERE id = ? AND dispatch_pending = " + QUEUED
                + " AND status = 'SCHEDULED'")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, attemptId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ---- per-key limits ----------------------------------------------------------------------------------------------

    /** A live operation of a key: whether it holds one of the key's places, and its current attempt. */
    public record KeyHolder(UUID operationId, boolean admitted, UUID currentAttemptId) {
    }

    /**
     * The live (RUNNING or PAUSED) operations of one key of {@code definition}, in the order they were enqueued, their
     * rows locked: whoever admits one of them decides from the same rows as every other node.
     */
    public static List<KeyHolder> lockKey(Connection c, String definition, String partitionKey, boolean lock) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT id, admitted, current_attempt_id FROM durable_operations "
                + "WHERE definition = ? AND partition_key = ? AND status IN ('RUNNING', 'PAUSED') ORDER BY partition_seq, id" + (lock ? " FOR UPDATE" : ""))) {
            PreparedStatement ps = p.ps();
            ps.setString(1, definition);
            ps.setString(2, partitionKey);
            List<KeyHolder> holders = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) holders.add(new KeyHolder(uuid(rs, "id"), rs.getInt("admitted") == 1, uuid(rs, "current_attempt_id")));
            }
            return holders;
        }
    }

    /** The operation holds one of its key's places from now until it ends. */
    public static void admit(Connection c, UUID operationId) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_operations SET admitted = 1 WHERE id = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, operationId.toString());
            ps.executeUpdate();
        }
    }

    /** The definition and key digest of an operation of a per-key limit, or null. */
    public static String[] keyOf(Connection c, UUID operationId) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT definition, partition_key FROM durable_operations WHERE id = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, operationId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString("partition_key") != null ? new String[]{rs.getString("definition"), rs.getString("partition_key")} : null;
            }
        }
    }
}

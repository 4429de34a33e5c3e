package io.durableops.core.internal.store;

import io.durableops.core.OperationStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.durableops.core.internal.store.JdbcStore.AFTER_CALLER_COMMIT;
import static io.durableops.core.internal.store.SqlValues.batch;
import static io.durableops.core.internal.store.SqlValues.setInstant;

/**
 * The relay's SQL: attempts whose dispatch was not confirmed or was lost, leases that ran out or are renewed, and the
 * counts its gauges and health report.
 */
public final class RelayStore {
    private RelayStore() {
    }

    /**
     * Extends the lease of the tries this node is running: attempt id and the try it claimed. A try another node took
     * over (after this one stalled past its lease) is not extended, so that node's own lease decides.
     */
    public static void renewLeases(Connection c, java.util.Map<UUID, Integer> tries, Instant leaseUntil) throws SQLException {
        if (tries.isEmpty()) return;
        batch(c, "UPDATE durable_attempts SET lease_until = ? WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?",
                tries.entrySet(), (ps, attempt) -> {
                    setInstant(ps, 1, leaseUntil);
                    ps.setString(2, attempt.getKey().toString());
                    ps.setInt(3, attempt.getValue());
                });
    }

    public static void markDispatched(Connection c, UUID id, int generation) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, 
                "UPDATE durable_attempts SET dispatch_pending = 0 WHERE id = ? AND generation = ? AND dispatch_pending <> 0")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            ps.setInt(2, generation);
            ps.executeUpdate();
        }
    }

    /**
     * Scheduled attempts whose dispatch was not confirmed: those left to their own dispatch ({@code dispatch_pending = 1})
     * once they were last changed before {@code changedBefore}, and those enqueued in a caller's transaction
     * ({@code dispatch_pending = 2}, nobody else dispatches them) at once.
     */
    public static List<Rows.Pending> undispatched(Connection c, Instant changedBefore, int limit) throws SQLException {
        return pending(c, "a.status = 'SCHEDULED' AND o.status = 'RUNNING' AND (a.dispatch_pending = 1 AND a.updated_at < ? OR a.dispatch_pending = "
                + AFTER_CALLER_COMMIT + ")", ps -> setInstant(ps, 1, changedBefore), limit);
    }

    /**
     * Due attempts that nobody claimed for a whole lease after they were last changed and dispatched: their job is taken
     * to be lost (a job system's worker stopped between taking it and running it), not merely waiting in a queue.
     */
    public static List<Rows.Pending> dispatchedLongAgo(Connection c, Instant before, int limit) throws SQLException {
        return pending(c, "a.status = 'SCHEDULED' AND o.status = 'RUNNING' AND a.dispatch_pending = 1 AND a.updated_at < ? "
                + "AND a.scheduled_at < ?", ps -> {
                    setInstant(ps, 1, before);
                    setInstant(ps, 2, before);
                }, limit);
    }

    /** A new generation for a scheduled attempt still at {@code generation}: a new job id for its next dispatch. */
    public static boolean nextGeneration(Connection c, UUID id, int generation, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET generation = generation + 1, updated_at = ? "
                + "WHERE id = ? AND generation = ? AND status = 'SCHEDULED'")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, id.toString());
            ps.setInt(3, generation);
            return ps.executeUpdate() == 1;
        }
    }

    /** The attempt if it was enqueued in a caller's transaction that has committed and it is not dispatched yet. */
    public static List<Rows.Pending> committedByCaller(Connection c, UUID attemptId) throws SQLException {
        return pending(c, "a.id = ? AND a.status = 'SCHEDULED' AND o.status = 'RUNNING' AND a.dispatch_pending = " + AFTER_CALLER_COMMIT,
                ps -> ps.setString(1, attemptId.toString()), 1);
    }

    /** Running attempts whose lease ran out: their runner died or hangs. */
    public static List<Rows.Pending> expiredLeases(Connection c, Instant now, int limit) throws SQLException {
        return pending(c, "a.status = 'RUNNING' AND a.lease_until < ? AND o.status = 'RUNNING'", ps -> setInstant(ps, 1, now), limit);
    }


    private static List<Rows.Pending> pending(Connection c, String where, Sql.Binder binder, int limit) throws SQLException {
        return Sql.list(c, Columns.SELECT_PENDING + where + " ORDER BY a.updated_at", limit, binder, Columns::pending);
    }

    /** How many attempts are due and not started: SCHEDULED, at or before {@code now}, of running operations. */
    public static long countDue(Connection c, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT COUNT(*) FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id "
                + "WHERE a.status = 'SCHEDULED' AND a.scheduled_at <= ? AND o.status = 'RUNNING'")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many operations are in {@code status}. */
    public static long countStatus(Connection c, OperationStatus status) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT COUNT(*) FROM durable_operations WHERE status = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, status.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Schedules a running attempt whose lease ran out again, now, under a new generation; only while its operation is
     * RUNNING (nothing runs behind an ended operation).
     */
    public static boolean recoverExpiredLease(Connection c, UUID id, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = 'SCHEDULED', "
                + "generation = generation + 1, dispatch_pending = 1, scheduled_at = ?, lease_until = NULL, updated_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND lease_until < ? AND " + JdbcStore.OPERATION_RUNNING)) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            setInstant(ps, 2, now);
            ps.setString(3, id.toString());
            setInstant(ps, 4, now);
            return ps.executeUpdate() == 1;
        }
    }
}

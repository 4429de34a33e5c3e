package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.uuid;

/**
 * The SQL of a cluster whose nodes may run different builds: the nodes and what each can run, attempts handed back
 * for a node that has their step, and the operations no running node can go on with.
 */
public final class ClusterStore {
    /** {@code dispatch_pending} of an attempt that waits for a node that has its step (see {@link #routed}). */
    public static final int NEEDS_ANOTHER_NODE = 3;

    private ClusterStore() {
    }

    /** A node as it last said it was alive, with what it can run (its capabilities, as it wrote them). */
    public record Node(UUID id, String name, Instant heartbeatAt, boolean runsAttempts, byte[] capabilities) {
    }

    /** Operations at one step of one version of one definition: what the stranded sweep looks at. */
    public record Position(String definition, int version, String step, long count) {
    }

    /** Says this node is alive now, with what it can run; inserts its row the first time. */
    public static void heartbeat(Connection c, UUID id, String name, boolean runsAttempts, byte[] capabilities, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_nodes SET heartbeat_at = ?, runs_attempts = ?, capabilities = ? WHERE id = ?")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setInt(2, runsAttempts ? 1 : 0);
            setBytes(ps, 3, capabilities);
            ps.setString(4, id.toString());
            if (ps.executeUpdate() == 1) return;
        }
        try (Sql.Prepared p = Sql.prepare(c, "INSERT INTO durable_nodes (id, name, started_at, heartbeat_at, runs_attempts, capabilities) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            ps.setString(2, name);
            setInstant(ps, 3, now);
            setInstant(ps, 4, now);
            ps.setInt(5, runsAttempts ? 1 : 0);
            setBytes(ps, 6, capabilities);
            ps.executeUpdate();
        }
    }

    /** The nodes whose last heartbeat is after {@code since}. */
    public static List<Node> liveSince(Connection c, Instant since) throws SQLException {
        return Sql.list(c, "SELECT id, name, heartbeat_at, runs_attempts, capabilities FROM durable_nodes "
                + "WHERE heartbeat_at > ? ORDER BY started_at", 0, ps -> setInstant(ps, 1, since),
                rs -> new Node(uuid(rs, "id"), rs.getString("name"), instant(rs, "heartbeat_at"), rs.getInt("runs_attempts") == 1,
                        rs.getBytes("capabilities")));
    }

    /** Removes a node's row (it closed), or the rows of nodes silent since {@code before}. */
    public static void forget(Connection c, UUID id, Instant before) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "DELETE FROM durable_nodes WHERE id = ? OR heartbeat_at < ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id == null ? "" : id.toString());
            setInstant(ps, 2, before);
            ps.executeUpdate();
        }
    }

    /**
     * Gives a try this runner claimed back uncounted: SCHEDULED, due now, under a new generation, with
     * {@code dispatchPending}; {@code queuedFor} and {@code reason}: the limit it waits for and why (see PermitStore),
     * or null. False if it is no longer this runner's.
     */
    public static boolean releaseTry(Connection c, UUID id, int tries, int dispatchPending, String queuedFor, String reason,
                                     Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET status = 'SCHEDULED', generation = generation + 1, "
                + "attempt_count = attempt_count - 1, dispatch_pending = ?, queued_for = ?, reason = COALESCE(?, reason), "
                + "scheduled_at = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'RUNNING' AND attempt_count = ?")) {
            PreparedStatement ps = p.ps();
            ps.setInt(1, dispatchPending);
            ps.setString(2, queuedFor);
            ps.setString(3, reason);
            setInstant(ps, 4, now);
            setInstant(ps, 5, now);
            ps.setString(6, id.toString());
            ps.setInt(7, tries);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Leaves a scheduled attempt to the relays: its dispatch pending again, under a new generation. why the generation:
     * the relay's dispatch of the same generation would have the job id of the dispatch this node just took, and JobRunr
     * ignores a job created again with an id it has, so the attempt would never run.
     */
    public static boolean markUndispatched(Connection c, UUID id, int generation, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET dispatch_pending = 1, generation = generation + 1, updated_at = ? "
                + "WHERE id = ? AND generation = ? AND status = 'SCHEDULED' AND dispatch_pending <> " + NEEDS_ANOTHER_NODE)) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, id.toString());
            ps.setInt(3, generation);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks a scheduled attempt for the relay of a node that has its step (a wake-up this node could not judge). */
    public static void markForAnotherNode(Connection c, UUID id, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET dispatch_pending = " + NEEDS_ANOTHER_NODE
                + ", updated_at = ? WHERE id = ? AND status = 'SCHEDULED'")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, id.toString());
            ps.executeUpdate();
        }
    }

    /** Puts an attempt marked for another node back to the relays' ordinary care (a node that has its step looked). */
    public static void unmark(Connection c, UUID id, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_attempts SET dispatch_pending = 1, updated_at = ? "
                + "WHERE id = ? AND dispatch_pending = " + NEEDS_ANOTHER_NODE)) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, id.toString());
            ps.executeUpdate();
        }
    }

    /** An attempt that waits for a node that has its step, with what identifies that step. */
    public record Routed(UUID attemptId, int generation, UUID operationId, String definition, int version, String step,
                         int attemptCount, Instant scheduledAt) {
        public Rows.Pending pending(Instant runAt) {
            return new Rows.Pending(attemptId, generation, operationId, definition, step, attemptCount, runAt);
        }
    }

    /** Scheduled attempts of running operations that wait for a node that has their step, oldest first. */
    public static List<Routed> routed(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT a.id, a.generation, a.operation_id, o.definition, o.definition_version, "
                + "a.step, a.attempt_count, a.scheduled_at FROM durable_attempts a JOIN durable_operations o ON o.id = a.operation_id "
                + "WHERE a.dispatch_pending = " + NEEDS_ANOTHER_NODE + " AND a.status = 'SCHEDULED' AND o.status = 'RUNNING' ORDER BY a.updated_at",
                limit, Sql.Binder.NONE, rs -> new Routed(uuid(rs, "id"), rs.getInt("generation"), uuid(rs, "operation_id"),
                        rs.getString("definition"), rs.getInt("definition_version"), rs.getString("step"), rs.getInt("attempt_count"),
                        instant(rs, "scheduled_at")));
    }

    /** Where the operations in {@code statuses} stand: how many at each step of each version of each definition. */
    public static List<Position> positions(Connection c, List<String> statuses) throws SQLException {
        String in = String.join(", ", statuses.stream().map(s -> "?").toList());
        return Sql.list(c, "SELECT definition, definition_version, current_step, COUNT(*) AS operations FROM durable_operations "
                + "WHERE status IN (" + in + ") GROUP BY definition, definition_version, current_step", 0, ps -> {
                    for (int i = 0; i < statuses.size(); i++) ps.setString(i + 1, statuses.get(i));
                }, rs -> new Position(rs.getString("definition"), rs.getInt("definition_version"), rs.getString("current_step"),
                        rs.getLong("operations")));
    }

    /** Up to {@code limit} ids of operations in {@code statuses} at {@code position}'s step, oldest first. */
    public static List<UUID> at(Connection c, Position position, List<String> statuses, int limit) throws SQLException {
        String in = String.join(", ", statuses.stream().map(s -> "?").toList());
        try (Sql.Prepared p = Sql.prepare(c, "SELECT id FROM durable_operations WHERE status IN (" + in + ") AND definition = ? "
                + "AND definition_version = ? AND current_step = ? ORDER BY created_at, id")) {
            PreparedStatement ps = p.ps();
            int i = 0;
            for (String s : statuses) ps.setString(++i, s);
            ps.setString(++i, position.definition());
            ps.setInt(++i, position.version());
            ps.setString(++i, position.step());
            ps.setMaxRows(limit);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(uuid(rs, 1));
            }
            return ids;
        }
    }
}

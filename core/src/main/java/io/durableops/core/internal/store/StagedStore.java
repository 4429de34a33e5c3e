package io.durableops.core.internal.store;

import io.durableops.core.OperationId;
import io.durableops.core.admin.SetAsideWork;
import io.durableops.core.internal.Limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.batch;
import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.uuid;

/** The SQL of staged work: written with a step's completion, handed over after its commit, or set aside by the relay. */
public final class StagedStore {
    private StagedStore() {
    }

    public static void insert(Connection c, UUID id, UUID operationId, UUID attemptId, String kind, byte[] payload, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "INSERT INTO durable_staged_work (id, operation_id, attempt_id, kind, "
                + "payload, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            ps.setString(2, operationId.toString());
            ps.setString(3, attemptId.toString());
            ps.setString(4, kind);
            setBytes(ps, 5, payload);
            setInstant(ps, 6, now);
            ps.executeUpdate();
        }
    }

    /** Staged work not yet handed over nor set aside, created before {@code before}, oldest first. */
    public static List<Rows.Staged> before(Connection c, Instant before, int limit) throws SQLException {
        return Sql.list(c, "SELECT id, kind, payload FROM durable_staged_work WHERE created_at < ? AND set_aside_at IS NULL "
                + "ORDER BY created_at", limit, ps -> setInstant(ps, 1, before),
                rs -> new Rows.Staged(uuid(rs, "id"), rs.getString("kind"), rs.getBytes("payload")));
    }

    public static void delete(Connection c, Collection<UUID> ids) throws SQLException {
        batch(c, "DELETE FROM durable_staged_work WHERE id = ?", ids, (ps, id) -> ps.setString(1, id.toString()));
    }

    /** Sets an item aside with its reason; the relay no longer offers it. */
    public static void setAside(Connection c, UUID id, String reason, Instant now) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_staged_work SET set_aside_at = ?, set_aside_reason = ? "
                + "WHERE id = ? AND set_aside_at IS NULL")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setString(2, Limits.truncate(reason));
            ps.setString(3, id.toString());
            ps.executeUpdate();
        }
    }

    /** The items set aside, oldest first. */
    public static List<SetAsideWork> setAside(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT id, operation_id, kind, created_at, set_aside_at, set_aside_reason "
                + "FROM durable_staged_work WHERE set_aside_at IS NOT NULL ORDER BY set_aside_at, id", limit, Sql.Binder.NONE,
                rs -> new SetAsideWork(uuid(rs, "id"), OperationId.of(uuid(rs, "operation_id")), rs.getString("kind"),
                        instant(rs, "created_at"), instant(rs, "set_aside_at"), rs.getString("set_aside_reason")));
    }

    /** The operation a set-aside item belongs to, or null if there is no such item set aside. */
    public static UUID operationOfSetAside(Connection c, UUID id) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "SELECT operation_id FROM durable_staged_work WHERE id = ? "
                + "AND set_aside_at IS NOT NULL FOR UPDATE")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? uuid(rs, 1) : null;
            }
        }
    }

    /** Puts a set-aside item back for the relay's next pass. */
    public static boolean release(Connection c, UUID id) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_staged_work SET set_aside_at = NULL, set_aside_reason = NULL "
                + "WHERE id = ? AND set_aside_at IS NOT NULL")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            return ps.executeUpdate() == 1;
        }
    }

    /** Deletes a set-aside item for good. */
    public static boolean discard(Connection c, UUID id) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "DELETE FROM durable_staged_work WHERE id = ? AND set_aside_at IS NOT NULL")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, id.toString());
            return ps.executeUpdate() == 1;
        }
    }
}

package io.durableops.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.uuid;
import static io.durableops.core.internal.store.SqlValues.instant;
import static io.durableops.core.internal.store.SqlValues.setInstant;

/** The SQL of schedules (table durable_schedules, migration V13). Rows are read by column name. */
public final class ScheduleStore {
    /** A schedule's row. {@code timing} is {@code Schedule.describe()}; {@code input} is encrypted. */
    public record Row(String name, String definition, String timing, String overlap, int catchUp, byte[] input, boolean paused,
                      Instant anchorAt, Instant nextTickAt, Instant lastTickAt, UUID lastOperationId, Instant bufferedTickAt,
                      long skippedTicks, String lastError, Instant createdAt, Instant updatedAt) {
        public Row ticked(Instant next, Instant lastTick, UUID lastOperation, Instant buffered, long skipped, Instant now) {
            return new Row(name, definition, timing, overlap, catchUp, input, paused, anchorAt, next, lastTick, lastOperation, buffered,
                    skipped, lastError, createdAt, now);
        }

        /** Paused ({@code error}: why, when it paused itself) or resumed, ticking next at {@code next}. */
        public Row paused(boolean paused, Instant next, String error, Instant now) {
            return new Row(name, definition, timing, overlap, catchUp, input, paused, anchorAt, next, lastTickAt, lastOperationId,
                    paused ? null : bufferedTickAt, skippedTicks, error, createdAt, now);
        }

        /** Changed by a put: what it starts and when; {@code next} recomputed if the timing changed. */
        public Row changed(String definition, String timing, String overlap, int catchUp, byte[] input, Instant anchor, Instant next, Instant now) {
            return new Row(name, definition, timing, overlap, catchUp, input, paused, anchor, paused ? null : next, lastTickAt, lastOperationId,
                    bufferedTickAt, skippedTicks, lastError, createdAt, now);
        }

        public Row triggered(UUID operation, Instant now) {
            return new Row(name, definition, timing, overlap, catchUp, input, paused, anchorAt, nextTickAt, lastTickAt, operation,
                    bufferedTickAt, skippedTicks, lastError, createdAt, now);
        }
    }

    private static final String COLUMNS = "name, definition, timing, overlap_policy, catch_up, input, paused, anchor_at, next_tick_at, "
            + "last_tick_at, last_operation_id, buffered_tick_at, skipped_ticks, last_error, created_at, updated_at";

    public void insert(Connection c, Row r) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "INSERT INTO durable_schedules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, r.name());
            int i = bindChangeable(ps, 1, r);
            setInstant(ps, ++i, r.createdAt());
            setInstant(ps, ++i, r.updatedAt());
            ps.executeUpdate();
        }
    }

    /** Writes every changeable column of {@code r} back to its row. */
    public void update(Connection c, Row r) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "UPDATE durable_schedules SET definition = ?, timing = ?, overlap_policy = ?, "
                + "catch_up = ?, input = ?, paused = ?, anchor_at = ?, next_tick_at = ?, last_tick_at = ?, last_operation_id = ?, "
                + "buffered_tick_at = ?, skipped_ticks = ?, last_error = ?, updated_at = ? WHERE name = ?")) {
            PreparedStatement ps = p.ps();
            int i = bindChangeable(ps, 0, r);
            setInstant(ps, ++i, r.updatedAt());
            ps.setString(++i, r.name());
            ps.executeUpdate();
        }
    }

    /** Binds the columns from {@code definition} to {@code last_error}, in {@link #COLUMNS}' order, after parameter {@code i}. */
    private static int bindChangeable(PreparedStatement ps, int i, Row r) throws SQLException {
        ps.setString(++i, r.definition());
        ps.setString(++i, r.timing());
        ps.setString(++i, r.overlap());
        ps.setInt(++i, r.catchUp());
        setBytes(ps, ++i, r.input());
        ps.setInt(++i, r.paused() ? 1 : 0);
        setInstant(ps, ++i, r.anchorAt());
        setInstant(ps, ++i, r.nextTickAt());
        setInstant(ps, ++i, r.lastTickAt());
        ps.setString(++i, r.lastOperationId() == null ? null : r.lastOperationId().toString());
        setInstant(ps, ++i, r.bufferedTickAt());
        ps.setLong(++i, r.skippedTicks());
        ps.setString(++i, r.lastError());
        return i;
    }

    /** The row of {@code name}, locked until the transaction ends when {@code lock}. */
    public Optional<Row> find(Connection c, String name, boolean lock) throws SQLException {
        List<Row> rows = select(c, "SELECT " + COLUMNS + " FROM durable_schedules WHERE name = ?" + (lock ? " FOR UPDATE" : ""), name);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<Row> all(Connection c) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM durable_schedules ORDER BY name");
    }

    /** Names of the schedules with a tick due at {@code now}, or a buffered tick waiting: read without a lock. */
    public List<String> due(Connection c, Instant now, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Sql.Prepared p = Sql.prepare(c, "SELECT name FROM durable_schedules WHERE paused = 0 "
                + "AND (next_tick_at <= ? OR buffered_tick_at IS NOT NULL) ORDER BY next_tick_at")) {
            PreparedStatement ps = p.ps();
            setInstant(ps, 1, now);
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        return names;
    }

    public boolean delete(Connection c, String name) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, "DELETE FROM durable_schedules WHERE name = ?")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Row> select(Connection c, String sql, Object... parameters) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, sql)) {
            PreparedStatement ps = p.ps();
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString("name"), rs.getString("definition"), rs.getString("timing"), rs.getString("overlap_policy"),
                            rs.getInt("catch_up"), rs.getBytes("input"), rs.getInt("paused") != 0, instant(rs, "anchor_at"), instant(rs, "next_tick_at"),
                            instant(rs, "last_tick_at"), uuid(rs, "last_operation_id"), instant(rs, "buffered_tick_at"),
                            rs.getLong("skipped_ticks"), rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "updated_at")));
                }
            }
            return rows;
        }
    }
}

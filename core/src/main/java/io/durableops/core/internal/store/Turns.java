package io.durableops.core.internal.store;

import io.durableops.core.AttemptStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.durableops.core.internal.store.Columns.ATTEMPT_COLUMNS;
import static io.durableops.core.internal.store.SqlValues.setBytes;
import static io.durableops.core.internal.store.SqlValues.setInstant;
import static io.durableops.core.internal.store.SqlValues.uuid;

/**
 * The fast path's deferred bookkeeping, in one place: which steps are recorded, and how the rows catch up. A fast-path
 * step may be recorded alone ({@link #recordAlone}): one committed INSERT of its successor, already claimed, leaving
 * the finished attempt RUNNING and the operation row pointing at the attempt the worker's turn began at. The rule every
 * reader and every takeover follows is {@link #recorded}: <em>an attempt that is RUNNING while its next visit exists
 * has succeeded</em>. Readers see attempts through it ({@link #attemptsOf}); whoever takes an operation over (the
 * relay recovering a lease, an operator, an ending, a deploy's pause) first brings its row up to date
 * ({@link #takeOver}), which ends the turn; the completion that ends a turn settles it in the same statement
 * ({@link JdbcStore#completeStep}). Where the dialect records no step alone (H2, PostgreSQL) nothing is ever
 * deferred and every method here is a no-op or a plain read. docs/concepts.md tells the whole story.
 */
public final class Turns {
    private final Dialect dialect;

    Turns(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Whether {@code attempt} is recorded as having succeeded: SUCCEEDED, or RUNNING with its next visit {@code next} existing. */
    public static boolean recorded(Rows.Attempt attempt, Rows.Attempt next) {
        return attempt.status() == AttemptStatus.SUCCEEDED
                || attempt.status() == AttemptStatus.RUNNING && next != null && next.visit() == attempt.visit() + 1;
    }

    /** Whether this database records a fast-path step alone, in one auto-committed statement: the dialect says. */
    public boolean recordsStepsAlone() {
        return dialect.recordsStepsAlone();
    }

    /**
     * Records a fast-path step alone (MySQL/MariaDB, auto-commit): {@code next} is inserted already claimed, provided the
     * operation is still RUNNING, its row still points at {@code pointer}, and the try that finished ({@code finished},
     * try {@code finishedTry}) is still RUNNING as this runner's (both rows locked while this runs). That committed row
     * is what records the step ({@link #recorded}). Returns false, with nothing written, if the operation or the try is
     * no longer this runner's (lease recovery, a timeout recorded, an operator's end): someone {@linkplain #takeOver took
     * it over}.
     */
    public boolean recordAlone(Connection c, UUID pointer, UUID finished, int finishedTry, Rows.Attempt next) throws SQLException {
        return dialect.recordStepAlone(c, pointer, finished, finishedTry, next);
    }

    /**
     * Writes down what steps recorded alone left to their successors' rows: each attempt of the operation from
     * {@code turnStart} (the attempt the operation row pointed at when the turn began) on that is RUNNING while its next
     * visit exists becomes SUCCEEDED, finished when that visit was created, as a completion recorded in a transaction
     * would have left it. It changes nothing else, so it is safe at any time, in any transaction. why from
     * {@code turnStart}: a turn's attempts are the only ones left unsettled, and an operation that loops may have
     * thousands of visits before them. Returns the attempts settled.
     */
    public int settle(Connection c, UUID operationId, UUID turnStart) throws SQLException {
        return turnStart == null ? 0 : dialect.settleStepsRecordedAlone(c, operationId, turnStart);
    }

    /**
     * Brings a running operation's row up to its latest attempt, which is where it is, if steps recorded alone left it
     * behind: the pointer, and the globals that attempt carries, if any; then the turn's attempts settled. Whoever takes
     * over or ends an operation calls this first, with the operation row locked: the turn that recorded those steps then
     * finds the row moved, and stops.
     */
    public void takeOver(Connection c, UUID operationId, Instant now) throws SQLException {
        UUID turnStart;
        try (Sql.Prepared p = Sql.prepare(c, "SELECT a.id, a.step, a.globals, o.current_attempt_id FROM durable_attempts a "
                + "JOIN durable_operations o ON o.id = a.operation_id WHERE a.operation_id = ? ORDER BY a.visit DESC")) {
            PreparedStatement ps = p.ps();
            ps.setString(1, operationId.toString());
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                turnStart = uuid(rs, "current_attempt_id");
                try (Sql.Prepared u = Sql.prepare(c, "UPDATE durable_operations SET current_attempt_id = ?, "
                        + "current_step = ?, globals = COALESCE(?, globals), updated_at = ? "
                        + "WHERE id = ? AND status = 'RUNNING' AND current_attempt_id <> ?")) {
                    PreparedStatement update = u.ps();
                    String latest = rs.getString("id");
                    update.setString(1, latest);
                    update.setString(2, rs.getString("step"));
                    setBytes(update, 3, rs.getBytes("globals"));
                    setInstant(update, 4, now);
                    update.setString(5, operationId.toString());
                    update.setString(6, latest);
                    update.executeUpdate();
                }
            }
        }
        // why after: the operation row first, then attempts, the order of the lock of every other writer of both
        settle(c, operationId, turnStart);
    }

    /**
     * {@link #takeOver} when the operation row does not point at {@code attempt} (steps recorded alone left it behind):
     * for a worker about to end its own turn in a transaction (a failure, a hand-back), so that the row points at the
     * attempt it acts on.
     */
    public void catchUp(Connection c, Rows.Operation operation, UUID attempt, Instant now) throws SQLException {
        if (!attempt.equals(operation.currentAttemptId())) takeOver(c, operation.id(), now);
    }

    /** The attempts of an operation in visit order, those of a turn not settled yet read as settled ({@link #settled}). */
    public List<Rows.Attempt> attemptsOf(Connection c, UUID operationId) throws SQLException {
        return settled(Sql.list(c, "SELECT " + ATTEMPT_COLUMNS + " FROM durable_attempts WHERE operation_id = ? ORDER BY visit", 0,
                ps -> ps.setString(1, operationId.toString()), Columns::attempt));
    }

    /** The attempts of one operation, in visit order, as they stand once {@linkplain #settle settled}. */
    static List<Rows.Attempt> settled(List<Rows.Attempt> byVisit) {
        List<Rows.Attempt> result = new ArrayList<>(byVisit);
        for (int i = 0; i + 1 < result.size(); i++) {
            Rows.Attempt a = result.get(i);
            Rows.Attempt next = result.get(i + 1);
            if (a.status() == AttemptStatus.RUNNING && recorded(a, next)) result.set(i, a.settledBy(next));
        }
        return result;
    }
}

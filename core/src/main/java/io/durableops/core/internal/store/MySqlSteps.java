package io.durableops.core.internal.store;

import io.durableops.core.OperationStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import static io.durableops.core.internal.store.Columns.ATTEMPT_COLUMNS;
import static io.durableops.core.internal.store.Columns.ATTEMPT_PARAMETERS;
import static io.durableops.core.internal.store.Columns.bindAttempt;
import static io.durableops.core.internal.store.Columns.bindOperationChange;
import static io.durableops.core.internal.store.SqlValues.eachColumn;
import static io.durableops.core.internal.store.SqlValues.setInstant;

/**
 * The SQL only MySQL/MariaDB runs, owned by {@link MySqlDialect}: its multi-table UPDATE records a step's completion on
 * the operation and the attempt in one statement, and lets a fast-path step be recorded alone (one INSERT, auto-commit)
 * and its turn settled later. The other databases write a completion in two statements and record no step alone
 * (the defaults of {@link Dialect}). See docs/concepts.md, "The fast path".
 */
final class MySqlSteps {
    private MySqlSteps() {
    }

    /** {@link JdbcStore#completeStep} on MySQL/MariaDB: the operation row, the finished attempt and the turn's attempts. */
    private static final String COMPLETE_STEP = "UPDATE durable_operations o JOIN durable_attempts a ON a.id = ? "
            + "JOIN durable_attempts start ON start.id = o.current_attempt_id "
            + "LEFT JOIN (" + ofOneOperation("p") + " JOIN " + successorOf("p") + ") "
            + "ON p.operation_id = o.id AND p.visit >= start.visit AND p.visit < a.visit AND p.status = 'RUNNING' "
            + "SET o.status = ?, o.current_step = ?, o.current_attempt_id = ?, o.globals = ?, o.results = ?, "
            + "o.failure_reason = ?, o.updated_at = ?, o.finished_at = ?, "
            + "a.status = 'SUCCEEDED', a.finished_at = ?, a.lease_until = NULL, a.reason = NULL, a.updated_at = ?, "
            + settles("p") + " "
            + "WHERE o.id = ? AND o.status = 'RUNNING' AND o.current_attempt_id = ? "
            + "AND a.status = 'RUNNING' AND a.attempt_count = ?";

    /**
     * {@link Turns#settle} on MySQL/MariaDB. why its range is open at the top, unlike the completion's:
     * its bound would have to be the operation's latest visit as it is now, and a read without a lock sees it as it
     * was when the transaction began. An attempt that bound left out, although its successor had committed, would be
     * recovered by the relay and run again, or cancelled by an operator's end although it succeeded. It runs only when
     * a turn is taken over, fails or is recovered, so it may wait for a lock on the next operation's first attempt.
     */
    private static final String SETTLE = "UPDATE " + ofOneOperation("a") + " JOIN durable_attempts start ON start.id = ? "
            + "JOIN " + successorOf("a") + " SET " + settles("a") + " "
            + "WHERE a.operation_id = ? AND a.visit >= start.visit AND a.status = 'RUNNING'";

    /** {@link JdbcStore#completeStep} in one statement that also settles the turn's attempts. */
    static boolean completeStep(Connection c, UUID operationId, UUID pointer, UUID attemptId, int attemptCount, OperationStatus status,
                                String currentStep, UUID currentAttempt, byte[] globals, byte[] results, String failureReason,
                                Instant now) throws SQLException {
        // why the turn's attempts here: the last step of an operation then stays one statement after a turn (no
        // transaction, settle and commit round trips), and the join finds none when there was no turn
        try (Sql.Prepared p = Sql.prepare(c, COMPLETE_STEP)) {
            PreparedStatement ps = p.ps();
            ps.setString(1, attemptId.toString());
            int i = bindOperationChange(ps, 1, status, currentStep, currentAttempt, globals, results, failureReason, now);
            setInstant(ps, ++i, now);
            setInstant(ps, ++i, now);
            ps.setString(++i, operationId.toString());
            ps.setString(++i, pointer.toString());
            ps.setInt(++i, attemptCount);
            // found rows: 2 or more (the operation, the attempt, the turn's attempts settled) when the rows matched, 0
            // when either condition failed (the join then yields nothing)
            return ps.executeUpdate() >= 2;
        }
    }

    /** The SET that settles the attempt {@code alias} by its successor {@code n} ({@link Turns#settle}). */
    private static String settles(String alias) {
        return eachColumn("status, finished_at, lease_until, reason, updated_at", column -> alias + "." + column + " = " + switch (column) {
            case "status" -> "'SUCCEEDED'";
            case "finished_at", "updated_at" -> "n.created_at";
            default -> "NULL";
        });
    }

    /**
     * The attempts table as {@code alias}, read through its index by operation and visit. why forced: with few rows, or
     * few RUNNING ones, the optimizer took the index on {@code (status, lease_until)} for {@code status = 'RUNNING'}
     * and locked the running attempts of every operation. A locking range read also locks the index record that ends
     * it and the row behind it, so the completion bounds its range by the finishing attempt's visit: open-ended, it
     * ended at the first attempt of the operation next in the index, and a step waited for whoever held that row (a
     * caller's transaction that enqueued it, say). A contract test pins this on MariaDB.
     */
    private static String ofOneOperation(String alias) {
        return "durable_attempts " + alias + " FORCE INDEX (durable_attempts_visit)";
    }

    /** The successor {@code n} of the attempt {@code alias}: its operation's next visit. */
    private static String successorOf(String alias) {
        return "durable_attempts n ON n.operation_id = " + alias + ".operation_id AND n.visit = " + alias + ".visit + 1";
    }

    /**
     * The next attempt's row, inserted only if the joins hold, with the operation row and the finished try locked until
     * this statement commits. why the finished try's row is not written: its successor's row is the record that it
     * succeeded ({@link Turns#settle}); a second row in the statement (an {@code ON DUPLICATE KEY UPDATE}
     * of the finished try) made it cost 1.4 to 1.8 times as much (bench/, MariaDB).
     */
    private static final String RECORD_STEP_ALONE = "INSERT INTO durable_attempts (" + ATTEMPT_COLUMNS + ") SELECT "
            + ATTEMPT_PARAMETERS + " FROM durable_operations o "
            + "JOIN durable_attempts finishing ON finishing.id = ? AND finishing.status = 'RUNNING' AND finishing.attempt_count = ? "
            + "WHERE o.id = ? AND o.status = 'RUNNING' AND o.current_attempt_id = ? FOR UPDATE";

    /** {@link Turns#recordAlone}. */
    static boolean recordStepAlone(Connection c, UUID pointer, UUID finished, int finishedTry, Rows.Attempt next) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, RECORD_STEP_ALONE)) {
            PreparedStatement ps = p.ps();
            int i = bindAttempt(ps, 0, next);
            ps.setString(++i, finished.toString());
            ps.setInt(++i, finishedTry);
            ps.setString(++i, next.operationId().toString());
            ps.setString(++i, pointer.toString());
            // 1: inserted; 0: the operation or the try is not this runner's (both joins are on primary keys)
            return ps.executeUpdate() == 1;
        }
    }

    /** {@link Turns#settle}. */
    static int settleStepsRecordedAlone(Connection c, UUID operationId, UUID turnStart) throws SQLException {
        try (Sql.Prepared p = Sql.prepare(c, SETTLE)) {
            PreparedStatement ps = p.ps();
            ps.setString(1, turnStart.toString());
            ps.setString(2, operationId.toString());
            return ps.executeUpdate();
        }
    }
}

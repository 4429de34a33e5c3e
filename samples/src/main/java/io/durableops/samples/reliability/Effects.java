package io.durableops.samples.reliability;

import io.durableops.core.StepContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes the reliability suite's evidence to {@code reliability_effects}: one {@code run} row each time a step's code
 * starts (committed at once on its own connection, so it survives the step being killed; counts user-code runs), and
 * for transactional steps one {@code tx} row written on the step's own transaction (it must exist exactly once).
 */
public final class Effects {
    /** The side table; the reliability driver creates it before the workers start. */
    public static final String DDL = "CREATE TABLE IF NOT EXISTS reliability_effects ("
            + "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, operation_id CHAR(36) NOT NULL, step VARCHAR(100) NOT NULL, "
            + "visit INT NOT NULL, attempt INT NOT NULL, kind VARCHAR(8) NOT NULL, worker VARCHAR(40) NOT NULL, "
            + "at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX reliability_effects_step (operation_id, step, visit))";

    private static final String INSERT = "INSERT INTO reliability_effects (operation_id, step, visit, attempt, kind, worker) VALUES (?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final String worker;

    public Effects(DataSource dataSource, String worker) {
        this.dataSource = dataSource;
        this.worker = worker;
    }

    /** Records that this step's code started running on this worker (autocommit, outside the step's transaction). */
    public void ran(StepContext ctx) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            insert(c, ctx, "run");
        }
    }

    /** Records the effect of a transactional step, on its own transaction: committed with its completion or never. */
    public void inTransaction(StepContext ctx) throws SQLException {
        insert(ctx.connection(), ctx, "tx");
    }

    private void insert(Connection c, StepContext ctx, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, ctx.operationId().toString());
            ps.setString(2, ctx.step());
            ps.setInt(3, visit(ctx));
            ps.setInt(4, ctx.attempt());
            ps.setString(5, kind);
            ps.setString(6, worker);
            ps.executeUpdate();
        }
    }

    /** The visit number: the last part of the step's idempotency key ({@code operation/step/visit}). */
    static int visit(StepContext ctx) {
        String key = ctx.idempotencyKey();
        return Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
    }
}

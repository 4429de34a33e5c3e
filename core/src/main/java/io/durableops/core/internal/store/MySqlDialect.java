package io.durableops.core.internal.store;

import io.durableops.core.OperationStatus;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** MySQL 8 and MariaDB 10.6+, through MySQL Connector/J or the MariaDB driver. */
public final class MySqlDialect implements Dialect {
    private final boolean mariaDb;

    /** {@code mariaDb}: the server is MariaDB, whose binary collation without padding has another name than MySQL's. */
    public MySqlDialect(boolean mariaDb) {
        this.mariaDb = mariaDb;
    }

    @Override
    public String name() {
        return "MySQL";
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
        return Map.of("ts", "DATETIME(6)", "blob", "LONGBLOB",
                "binary", "CHARACTER SET utf8mb4 COLLATE " + (mariaDb ? "utf8mb4_nopad_bin" : "utf8mb4_0900_bin"));
    }

    @Override
    public List<String> migrationLocations() {
        return List.of(Migrations.LOCATION, Migrations.LOCATION + "-mysql");
    }

    @Override
    public boolean completeStep(JdbcStore store, Connection c, UUID operationId, UUID pointer, UUID attemptId, int attemptCount,
                                OperationStatus status, String currentStep, UUID currentAttempt, byte[] globals, byte[] results,
                                String failureReason, Instant now) throws SQLException {
        return MySqlSteps.completeStep(c, operationId, pointer, attemptId, attemptCount, status, currentStep, currentAttempt, globals,
                results, failureReason, now);
    }

    @Override
    public boolean recordsStepsAlone() {
        return true;
    }

    @Override
    public boolean recordStepAlone(Connection c, UUID pointer, UUID finished, int finishedTry, Rows.Attempt next) throws SQLException {
        return MySqlSteps.recordStepAlone(c, pointer, finished, finishedTry, next);
    }

    @Override
    public int settleStepsRecordedAlone(Connection c, UUID operationId, UUID turnStart) throws SQLException {
        return MySqlSteps.settleStepsRecordedAlone(c, operationId, turnStart);
    }

    @Override
    public boolean isTransient(SQLException e) {
        // 1213: deadlock found; 1205: lock wait timeout
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }
}

/**
 * What operators use beyond starting operations: {@link io.durableops.core.admin.OperationAdmin} (from
 * {@code DurableOps.admin()}) finds operations with an {@link io.durableops.core.admin.OperationQuery}, pages them
 * ({@link io.durableops.core.admin.OperationPage} of {@link io.durableops.core.admin.OperationSummary}), retries,
 * moves, expires, fails, cancels and signals them one by one or as a {@link io.durableops.core.admin.BulkAction} over
 * a filtered set, and reads the audit trail ({@link io.durableops.core.admin.AuditQuery}). The admin UI is built on it
 * alone. See docs/admin-ui.md.
 */
package io.durableops.core.admin;

package io.durableops.core.admin;

import io.durableops.core.OperationId;
import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the audit trail as recorded: who ({@code actor}), what ({@code action}, such as {@code retry} or
 * {@code retry-from}, with its {@code detail}: the step, the reason, the bulk filter), on which operation (null for
 * an entry about no operation, such as a sign-in), and when. {@code clientAddress} is the network address an access
 * event came from (see {@link OperationAdmin#recordAccess}); it is empty for operator actions and for entries read
 * by {@link OperationAdmin#audit} and {@link OperationAdmin#recentAudit}.
 */
public record AuditEntry(long sequence, OperationId operationId, String actor, String action, Optional<String> detail,
                         Instant occurredAt, Optional<String> clientAddress) {
    /** An entry without a client address. */
    public AuditEntry(long sequence, OperationId operationId, String actor, String action, Optional<String> detail, Instant occurredAt) {
        this(sequence, operationId, actor, action, detail, occurredAt, Optional.empty());
    }
}

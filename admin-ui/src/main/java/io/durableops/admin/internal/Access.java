package io.durableops.admin.internal;

import io.durableops.core.DurableOpsException;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records access events in the audit trail ({@link OperationAdmin#recordAccess}): sign-in, sign-out, failed
 * sign-in, throttled sign-ins, and refused actions, each with the client's address. A trail that cannot be written
 * (the database is away) is logged and does not block the request.
 */
final class Access {
    static final String SIGN_IN = "sign-in";
    static final String SIGN_OUT = "sign-out";
    static final String SIGN_IN_FAILED = "sign-in-failed";
    static final String THROTTLED = "sign-in-throttled";
    static final String DENIED = "denied";

    private static final Logger LOG = LoggerFactory.getLogger(Access.class);
    private final OperationAdmin admin;

    Access(OperationAdmin admin) {
        this.admin = admin;
    }

    void record(OperationId operation, String actor, String action, String detail, String address) {
        try {
            admin.recordAccess(operation, actor == null || actor.isBlank() ? "(no name)" : actor, action, detail, address);
        } catch (DurableOpsException | IllegalArgumentException e) {
            LOG.warn("could not record {} from {} in the audit trail: {}", action, address, e.getClass().getSimpleName());
        }
    }
}

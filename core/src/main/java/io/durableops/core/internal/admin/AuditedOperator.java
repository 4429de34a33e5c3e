package io.durableops.core.internal.admin;

import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkListener;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.internal.Limits;
import io.durableops.core.internal.engine.OperationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * One operator's actions. Each runs through the scheduler as a compare-and-set and, if it won, is recorded in the audit
 * trail in its own transaction: of concurrent callers exactly one is recorded, the others get
 * {@link IllegalOperationStateException} and leave no entry.
 */
final class AuditedOperator implements OperationAdmin.Operator {
    private static final Logger LOG = LoggerFactory.getLogger(AuditedOperator.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final AdminService admin;
    private final OperationService scheduler;
    private final String actor;

    AuditedOperator(AdminService admin, OperationService scheduler, String actor) {
        this.admin = admin;
        this.scheduler = scheduler;
        this.actor = actor;
    }

    @Override
    public String actor() {
        return actor;
    }

    @Override
    public void retry(OperationId id) {
        scheduler.retry(id, admin.audit(actor, "retry", null));
    }

    @Override
    public void retryFrom(OperationId id, String step) {
        admin.restart(id, step, actor, false);
    }

    @Override
    public void move(OperationId id, String step) {
        admin.restart(id, step, actor, true);
    }

    @Override
    public void runNow(OperationId id) {
        scheduler.runNow(id, admin.audit(actor, "run-now", null));
    }

    @Override
    public void expire(OperationId id) {
        scheduler.expire(id, admin.audit(actor, "expire", null));
    }

    @Override
    public void fail(OperationId id, String reason) {
        scheduler.fail(id, reason, admin.audit(actor, "fail", reason));
    }

    @Override
    public void cancel(OperationId id) {
        scheduler.cancel(id, admin.audit(actor, "cancel", null));
    }

    @Override
    public void signal(OperationId id, String name, String payloadJson) {
        scheduler.signal(id, name, payload(name, payloadJson), admin.audit(actor, "signal", name));
    }

    private static Object payload(String name, String payloadJson) {
        if (payloadJson == null || payloadJson.isBlank()) return null;
        try {
            return JSON.readTree(payloadJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the payload of signal '" + name + "' is not JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public BulkResult retryAll(OperationQuery query, UUID runId, BulkListener listener) {
        return bulk(BulkAction.RETRY, query, "", runId, listener, (id, audit) -> scheduler.retry(id, audit));
    }

    @Override
    public BulkResult expireAll(OperationQuery query, UUID runId, BulkListener listener) {
        return bulk(BulkAction.EXPIRE, query, "", runId, listener, (id, audit) -> scheduler.expire(id, audit));
    }

    @Override
    public BulkResult cancelAll(OperationQuery query, UUID runId, BulkListener listener) {
        return bulk(BulkAction.CANCEL, query, "", runId, listener, (id, audit) -> scheduler.cancel(id, audit));
    }

    @Override
    public BulkResult failAll(OperationQuery query, String reason, UUID runId, BulkListener listener) {
        String checked = Limits.requireReason(reason, "failAll(...)");
        return bulk(BulkAction.FAIL, query, " (" + checked + ")", runId, listener, (id, audit) -> scheduler.fail(id, checked, audit));
    }

    @Override
    public BulkResult signalAll(OperationQuery query, String name, String payloadJson, UUID runId, BulkListener listener) {
        if (name == null || name.isBlank() || name.length() > Limits.NAME) {
            throw new IllegalArgumentException("a signal needs a name of 1 to " + Limits.NAME + " characters");
        }
        Object payload = payload(name, payloadJson);
        return bulk(BulkAction.SIGNAL, query, " '" + name + "'", runId, listener, (id, audit) -> scheduler.signal(id, name, payload, audit));
    }

    @Override
    public void releaseSetAside(java.util.UUID stagedWorkId) {
        admin.releaseOrDiscard(stagedWorkId, true, actor);
    }

    @Override
    public void discardSetAside(java.util.UUID stagedWorkId) {
        admin.releaseOrDiscard(stagedWorkId, false, actor);
    }

    /**
     * Collects the eligible ids first (keyset pages, so none is seen twice however statuses change meanwhile), then
     * acts on each, its audit entry carrying the run id; one that changed state in between is skipped and counted. The
     * listener hears of each; an exception it throws ends the run there.
     */
    private BulkResult bulk(BulkAction action, OperationQuery query, String what, UUID runId, BulkListener listener,
                            BiConsumer<OperationId, OperationService.AlsoRecord> act) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(listener, "listener");
        String name = action.name().toLowerCase();
        String detail = "bulk " + name + what + " of " + query;
        List<OperationId> eligible = admin.eligible(action, query);
        long changed = 0;
        long skipped = 0;
        listener.progress(eligible.size(), 0, 0);
        for (OperationId id : eligible) {
            try {
                act.accept(id, admin.audit(actor, name, detail, runId));
                changed++;
            } catch (IllegalOperationStateException | OperationNotFoundException e) {
                skipped++;
            }
            listener.progress(eligible.size(), changed, skipped);
        }
        // why not the filter: it may hold an idempotency key or a search attribute's value, user data
        LOG.info("bulk {} {} by {}: {} changed, {} skipped of {}", name, runId, actor, changed, skipped, eligible.size());
        return new BulkResult(action, changed, skipped, runId);
    }
}

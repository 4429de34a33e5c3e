package io.durableops.core.internal.admin;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.AuditPage;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.UnknownDefinitionException;
import io.durableops.core.UnknownStepException;
import io.durableops.core.internal.engine.Dispatch;
import io.durableops.core.internal.engine.Engine;
import io.durableops.core.internal.engine.OperationService;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.Rows;
import io.durableops.core.internal.store.StagedStore;
import io.durableops.core.admin.SetAsideWork;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The {@link OperationAdmin}: queries on the operations table, retry-from, and the audit trail. */
public final class AdminService implements OperationAdmin {
    private static final int MAX_AUDIT = 1000;
    private static final int MAX_GROUPS = OperationAdmin.MAX_FAILURE_GROUPS;

    private final Engine engine;
    private final Dispatch dispatch;
    private final OperationService scheduler;
    private final AdminStore store = new AdminStore();
    private final MessageSearch messages;

    public AdminService(Engine engine, Dispatch dispatch, OperationService scheduler) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.scheduler = scheduler;
        this.messages = new MessageSearch(engine, store);
    }

    @Override
    public OperationPage list(OperationQuery query) {
        return query.errorMessage().isPresent() ? messages.page(query) : page(query, null);
    }

    private Where where(OperationQuery query, boolean withStatus, java.util.Set<OperationStatus> onlyStatuses) {
        return Where.of(engine.tx().dialect(), query, withStatus, onlyStatuses);
    }

    /** A page of the query, narrowed to {@code onlyStatuses} when not null. */
    OperationPage page(OperationQuery query, java.util.Set<OperationStatus> onlyStatuses) {
        Where where = where(query, true, onlyStatuses);
        query.cursor().map(Cursor::decode).ifPresent(where::after);
        // one row more than asked tells whether another page follows
        List<OperationSummary> rows = engine.tx().auto("list operations", c -> store.page(c, where, query.sort(), query.limit() + 1));
        if (rows.size() <= query.limit()) return new OperationPage(rows, Optional.empty());
        List<OperationSummary> items = rows.subList(0, query.limit());
        return new OperationPage(items, Optional.of(Cursor.after(query.sort(), items.get(items.size() - 1)).encode()));
    }

    @Override
    public long count(OperationQuery query) {
        MessageSearch.refuseCounting(query, "counted");
        return engine.tx().auto("count operations", c -> store.count(c, where(query, true, null)));
    }

    @Override
    public Map<OperationStatus, Long> countByStatus(OperationQuery query) {
        MessageSearch.refuseCounting(query, "counted");
        return engine.tx().auto("count operations by status", c -> store.countByStatus(c, where(query, false, null)));
    }

    @Override
    public io.durableops.core.admin.StatusCounts countByStatus(OperationQuery query, int bound) {
        MessageSearch.refuseCounting(query, "counted");
        if (bound < 1) throw new IllegalArgumentException("a count bound is at least 1, was " + bound);
        return bounded("count operations by status, bounded", c -> store.countByStatus(c, where(query, false, null), bound));
    }

    @Override
    public long countEligible(BulkAction action, OperationQuery query) {
        MessageSearch.refuseCounting(query, "counted or acted on in bulk");
        return engine.tx().auto("count operations to " + action.name().toLowerCase(),
                c -> store.count(c, where(query, true, action.appliesTo())));
    }

    @Override
    public List<io.durableops.core.admin.FailureGroup> failureGroups(OperationQuery query) {
        MessageSearch.refuseCounting(query, "grouped");
        Where where = where(query, true, java.util.EnumSet.of(OperationStatus.FAILED));
        return engine.tx().auto("group failed operations", c -> FailureStore.groups(c, where, MAX_GROUPS, 0));
    }

    @Override
    public List<io.durableops.core.admin.FailureGroup> failureGroups(OperationQuery query, int newest) {
        MessageSearch.refuseCounting(query, "grouped");
        if (newest < 1) throw new IllegalArgumentException("failure groups are over at least 1 operation, was " + newest);
        Where where = where(query, true, java.util.EnumSet.of(OperationStatus.FAILED));
        return bounded("group the newest failed operations", c -> FailureStore.groups(c, where, MAX_GROUPS, newest));
    }

    /** A bounded read (LIMIT subqueries), in a transaction planned for its values (see Dialect.planForValues). */
    private <T> T bounded(String what, io.durableops.core.internal.store.Tx.Work<T> work) {
        return engine.tx().run(what, c -> {
            engine.tx().dialect().planForValues(c);
            return work.apply(c);
        });
    }

    @Override
    public Map<OperationId, io.durableops.core.admin.LastError> lastErrors(java.util.Collection<OperationId> ids, boolean withMessages) {
        if (ids.size() > OperationQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("lastErrors(...) reads at most " + OperationQuery.MAX_LIMIT + " operations, was " + ids.size());
        }
        Map<OperationId, FailureStore.Row> rows = engine.tx().auto("read the last errors", c -> FailureStore.lastErrors(c, ids, withMessages));
        Map<OperationId, io.durableops.core.admin.LastError> last = new java.util.LinkedHashMap<>();
        rows.forEach((id, r) -> last.put(id, new io.durableops.core.admin.LastError(r.step(), r.attempt(), r.errorClass(),
                withMessages ? Optional.ofNullable(readable(r.message(), "the error message of operation " + id)) : Optional.empty(),
                r.occurredAt())));
        return last;
    }

    /** Decrypted text, or the reason it cannot be decrypted in its place. */
    private String readable(byte[] sealed, String what) {
        try {
            return engine.codec().openText(sealed, what);
        } catch (io.durableops.core.DecryptionException e) {
            return "[" + e.getMessage() + "]";
        }
    }

    @Override
    public void retryFrom(OperationId id, String step) {
        restart(id, step, null, false);
    }

    @Override
    public void move(OperationId id, String step) {
        restart(id, step, null, true);
    }

    /** Retries from {@code step}; records the audit entry in the same transaction when {@code actor} is given. */
    void retryFrom(OperationId id, String step, String actor) {
        restart(id, step, actor, false);
    }

    /**
     * Resumes a stopped operation at {@code step} as a new visit: a retry from a step of any registered version, or a
     * move ({@code toLatest}) to a step of the latest version, which the operation then runs on. A compare-and-set, like
     * every operator action; the audit entry, when {@code actor} is given, is written in the same transaction.
     */
    void restart(OperationId id, String step, String actor, boolean toLatest) {
        if (step == null || step.isBlank()) throw new IllegalArgumentException((toLatest ? "move" : "retryFrom") + "(...) needs a step name");
        String what = toLatest ? "moved" : "retried from a step";
        Rows.Pending pending = engine.tx().run((toLatest ? "move operation " : "retry operation ") + id + " to step '" + step + "'", c -> {
            AdminStore.Target op = store.target(c, id.value()).orElseThrow(() -> new OperationNotFoundException(id));
            CompiledDefinition latest = engine.definitions().find(op.definition())
                    .orElseThrow(() -> new UnknownDefinitionException(op.definition(), engine.definitions().names()));
            if (toLatest ? latest.step(step).isEmpty() : !engine.definitions().steps(op.definition()).contains(step)) {
                throw new UnknownStepException(latest.name(), step, toLatest ? latest.steps().keySet() : engine.definitions().steps(op.definition()));
            }
            if (op.status() == OperationStatus.RUNNING || op.status() == OperationStatus.COMPLETED) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status()
                        + "; only FAILED, EXPIRED, CANCELLED or PAUSED operations can be " + what);
            }
            Instant now = engine.now();
            UUID attemptId = UUID.randomUUID();
            if (!store.restartAt(c, op.id(), op.status(), step, attemptId, toLatest ? latest.version() : null, now)) {
                throw new IllegalOperationStateException("operation " + id + " changed while it was being " + what + "; look at it again");
            }
            // why the step's own definition: a wait it starts at keeps its timeout, counted from now
            StepDef target = (toLatest ? Optional.of(latest) : engine.definitions().resolve(op.definition(), op.version(), step))
                    .flatMap(d -> d.step(step)).orElse(null);
            engine.store().insertAttempt(c, Rows.Attempt.scheduled(attemptId, op.id(), step, store.lastVisit(c, op.id()) + 1,
                    store.lastArgs(c, op.id(), step), now, target == null ? null : target.waitDeadline(now)));
            if (actor != null) {
                store.insertAudit(c, op.id(), actor, toLatest ? "move" : "retry-from",
                        "step " + step + (toLatest ? " of version " + latest.version() : ""), null, now);
            }
            return new Rows.Pending(attemptId, 1, op.id(), op.definition(), step, 0, now);
        });
        dispatch.send(List.of(pending));
    }

    @Override
    public List<String> steps(String definition) {
        return engine.definitions().find(definition).map(d -> List.copyOf(d.steps().keySet())).orElse(List.of());
    }

    @Override
    public List<String> definitions() {
        return engine.definitions().names().stream().sorted().toList();
    }

    @Override
    public Optional<io.durableops.core.admin.DefinitionView> describe(String definition) {
        return Described.of(engine.definitions(), definition);
    }

    @Override
    public List<io.durableops.core.admin.StepCount> stepCounts() {
        return engine.tx().auto("count operations per step", c -> PositionStore.stepCounts(c, definitions()));
    }

    @Override
    public List<io.durableops.core.admin.AttemptDetail> attemptDetails(OperationId id) {
        return engine.tx().auto("read attempt details of operation " + id, c -> PositionStore.attemptDetails(c, id.value()));
    }

    @Override
    public List<AuditEntry> audit(OperationId id) {
        return engine.tx().auto("read the audit trail of operation " + id, c -> store.auditOf(c, id.value()));
    }

    @Override
    public List<AuditEntry> recentAudit(int limit) {
        if (limit < 1 || limit > MAX_AUDIT) throw new IllegalArgumentException("limit must be between 1 and " + MAX_AUDIT + ", was " + limit);
        return engine.tx().auto("read the audit trail", c -> store.recentAudit(c, limit));
    }

    @Override
    public List<SetAsideWork> setAsideWork(int limit) {
        if (limit < 1 || limit > MAX_AUDIT) throw new IllegalArgumentException("limit must be between 1 and " + MAX_AUDIT + ", was " + limit);
        return engine.tx().auto("read the set-aside staged work", c -> StagedStore.setAside(c, limit));
    }

    /** Releases (or discards) set-aside staged work and records it, in one transaction. */
    void releaseOrDiscard(UUID stagedWorkId, boolean release, String actor) {
        java.util.Objects.requireNonNull(stagedWorkId, "stagedWorkId");
        String action = release ? "release-staged" : "discard-staged";
        engine.tx().run(action + " " + stagedWorkId, c -> {
            UUID operation = StagedStore.operationOfSetAside(c, stagedWorkId);
            if (operation == null || !(release ? StagedStore.release(c, stagedWorkId) : StagedStore.discard(c, stagedWorkId))) {
                throw new IllegalOperationStateException("no staged work " + stagedWorkId + " is set aside (released or discarded meanwhile?)");
            }
            store.insertAudit(c, operation, actor, action, "staged work " + stagedWorkId, null, engine.now());
            return null;
        });
    }

    @Override
    public Operator as(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw new IllegalArgumentException("an actor is a name of 1 to 200 characters, was '" + actor + "'");
        }
        return new AuditedOperator(this, scheduler, actor.trim());
    }

    /** The audit entry of an operator's action, written in the action's own transaction once it has won. */
    OperationService.AlsoRecord audit(String actor, String action, String detail) {
        return audit(actor, action, detail, null);
    }

    /** The same, for an operation a bulk run changes: the entry carries the run's id ({@link OperationQuery#bulkRun()}). */
    OperationService.AlsoRecord audit(String actor, String action, String detail, UUID bulkRun) {
        return (c, operationId, now) -> store.insertAudit(c, operationId, actor, action, detail, bulkRun, now);
    }

    /** Every operation the query matches among {@code action}'s statuses, page after page, as ids. */
    List<OperationId> eligible(BulkAction action, OperationQuery query) {
        MessageSearch.refuseCounting(query, "acted on in bulk");
        List<OperationId> ids = new ArrayList<>();
        OperationQuery q = query.toBuilder().limit(OperationQuery.MAX_LIMIT).cursor(null).build();
        while (true) {
            OperationPage page = page(q, action.appliesTo());
            page.items().forEach(s -> ids.add(s.id()));
            if (page.nextCursor().isEmpty()) return ids;
            q = q.withCursor(page.nextCursor().get());
        }
    }

    // ---- access events and the paged audit trail (admin UI security) ------------------------------------------

    @Override
    public void recordAccess(OperationId operationId, String actor, String action, String detail, String clientAddress) {
        if (actor == null || actor.isBlank()) throw new IllegalArgumentException("an access event needs an actor (the user name as given)");
        if (action == null || action.isBlank() || action.length() > 40) {
            throw new IllegalArgumentException("an access event needs an action of 1 to 40 characters, was '" + action + "'");
        }
        engine.tx().run("record " + action.strip(), c -> {
            store.insertAccess(c, operationId == null ? null : operationId.value(), AdminStore.clip(actor.strip(), 200),
                    action.strip(), detail, clientAddress == null ? null : AdminStore.clip(clientAddress.strip(), 100), engine.now());
            return null;
        });
    }

    @Override
    public AuditPage auditPage(AuditQuery query) {
        // one row more than asked tells whether another page follows
        List<AuditEntry> rows = engine.tx().auto("read the audit trail", c -> store.auditPage(c, query, query.limit() + 1));
        if (rows.size() <= query.limit()) return new AuditPage(rows, Optional.empty());
        List<AuditEntry> entries = rows.subList(0, query.limit());
        return new AuditPage(entries, Optional.of(entries.get(entries.size() - 1).sequence()));
    }
}

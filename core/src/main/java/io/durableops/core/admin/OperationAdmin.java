package io.durableops.core.admin;

import io.durableops.core.DurableOps;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.UnknownDefinitionException;
import io.durableops.core.UnknownStepException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators need beyond {@link OperationScheduler}: finding operations by filters with stable paging, counting
 * them, retrying from a chosen step, acting on a whole filtered set, and the audit trail of who did what. Obtain it
 * from {@link DurableOps#admin()}; thread-safe.
 *
 * <pre>{@code
 * OperationAdmin admin = ops.admin();
 * OperationQuery failedCharges = OperationQuery.builder()
 *         .statuses(OperationStatus.FAILED).definition("subscription-fulfillment").currentStep("charge-card").build();
 * long n = admin.countEligible(BulkAction.RETRY, failedCharges);   // "200 operations will be retried"
 * BulkResult result = admin.as("ann").retryAll(failedCharges);    // each retry is recorded in the audit trail as ann's
 * admin.list(OperationQuery.builder().bulkRun(result.runId()).build());   // the ones it retried, in any status now
 * }</pre>
 *
 * <p>A bulk run acts on one operation after another, each a compare-and-set in its own transaction, on the calling
 * thread; give it a run id of your own and a {@link BulkListener} to show its progress while it runs elsewhere.
 */
public interface OperationAdmin {
    /**
     * One page of the operations that match, in the query's order; {@link OperationPage#nextCursor()} continues it. A
     * query with a message search reads within its scan bound and says how far ({@link OperationPage#messageScan()}).
     */
    OperationPage list(OperationQuery query);

    /**
     * How many operations match (its limit and cursor are ignored).
     *
     * @throws io.durableops.core.InvalidQueryException for a query with a message search, which cannot be counted
     *         (see {@link MessageScan}); the same holds for the other counts, the failure groups and the bulk actions
     */
    long count(OperationQuery query);

    /**
     * How many operations match per status, ignoring the query's status filter (and its limit and cursor), so the
     * counts can be shown beside a status filter. Every status is present, with 0 where none match.
     */
    Map<OperationStatus, Long> countByStatus(OperationQuery query);

    /** The bound the admin UI's list counts each status up to, unless configured otherwise. */
    int LIST_BOUND = 10_000;

    /** How many of the newest matching failures the admin UI's failures panel groups, unless configured otherwise. */
    int FAILURES_BOUND = 1_000;

    /**
     * How many operations match per status, as {@link #countByStatus(OperationQuery)}, but reading at most
     * {@code bound} + 1 of each status: a status with more is reported capped at {@code bound}. Its cost is bounded
     * by {@code bound} whatever the table's size, which is what a list page that counts on every request needs; a
     * count that decides an action ({@link #countEligible}) stays exact.
     *
     * @throws IllegalArgumentException if {@code bound} is less than 1
     */
    StatusCounts countByStatus(OperationQuery query, int bound);

    /** How many matching operations {@code action} would change: those whose status it applies to. */
    long countEligible(BulkAction action, OperationQuery query);

    /** The most groups {@link #failureGroups} returns. */
    int MAX_FAILURE_GROUPS = 100;

    /**
     * The FAILED operations that match, grouped by definition, the step they failed at and the class of their last
     * error, largest group first (at most {@value #MAX_FAILURE_GROUPS}); the query's other statuses, limit and cursor
     * are ignored.
     */
    List<FailureGroup> failureGroups(OperationQuery query);

    /**
     * As {@link #failureGroups(OperationQuery)}, over at most the {@code newest} matching FAILED operations (newest by
     * creation): the groups of a long history of failures cost {@code newest} rows, not the whole history. The groups are
     * exact when no more than {@code newest} failed operations match (as {@link #countByStatus(OperationQuery, int)}
     * tells); otherwise they count the newest {@code newest} only.
     *
     * @throws IllegalArgumentException if {@code newest} is less than 1
     */
    List<FailureGroup> failureGroups(OperationQuery query, int newest);

    /**
     * The last recorded error of each given operation's current attempt (absent for those without one), at most
     * {@value OperationQuery#MAX_LIMIT} operations. Messages are decrypted only when {@code withMessages} is true; stack
     * traces are not read (see {@link OperationScheduler#attempts}).
     */
    Map<OperationId, LastError> lastErrors(Collection<OperationId> ids, boolean withMessages);

    /**
     * Resumes a FAILED, EXPIRED, CANCELLED or PAUSED operation at {@code step} as a new attempt (a new visit: a new
     * idempotency key, the arguments that step last ran with, or none if it never ran), with the operation's
     * current globals. The operation is RUNNING again. Not recorded in the audit trail; use {@link #as(String)} for
     * an operator's action.
     *
     * @throws OperationNotFoundException if there is no such operation
     * @throws UnknownDefinitionException if the operation's definition is not registered in this runtime
     * @throws UnknownStepException if the definition has no such step
     * @throws IllegalOperationStateException if the operation is RUNNING or COMPLETED
     */
    void retryFrom(OperationId id, String step);

    /**
     * Moves a FAILED, EXPIRED, CANCELLED or PAUSED operation (one a deploy stranded, say) to {@code step} of the latest
     * registered version of its definition, which it then runs on: a new attempt of that step, with the operation's
     * globals as they are, and RUNNING again. Signals kept for it are consumed by the wait they are for. Not recorded
     * in the audit trail; use {@link #as(String)} for an operator's action.
     *
     * @throws UnknownStepException if the latest version has no such step
     * @throws IllegalOperationStateException if the operation is RUNNING or COMPLETED
     */
    void move(OperationId id, String step);

    /** The step names of a registered definition in declaration order; empty if it is not registered here. */
    List<String> steps(String definition);

    /** The names of the definitions registered in this runtime, sorted. */
    List<String> definitions();

    /**
     * A registered definition's versions with their steps and declared edges (the admin UI draws them as a graph);
     * empty if {@code definition} is not registered in this runtime.
     */
    Optional<DefinitionView> describe(String definition);

    /**
     * How many operations of each registered definition are at each step in each status, per version, in one grouped
     * query; combinations with no operation are absent.
     */
    List<StepCount> stepCounts();

    /** The {@link AttemptDetail} of each attempt of an operation, in visit order (empty if there is no such operation). */
    List<AttemptDetail> attemptDetails(OperationId id);

    /** The operator actions on one operation, oldest first. */
    List<AuditEntry> audit(OperationId id);

    /** The most recent operator actions on any operation, newest first. */
    List<AuditEntry> recentAudit(int limit);

    /**
     * Staged work the relay set aside instead of handing it over (its payload cannot be decrypted, or the dispatcher
     * kept refusing it), oldest first, at most {@code limit} (1 to 1000). Release it once the cause is fixed (a key
     * restored), or discard it.
     */
    List<SetAsideWork> setAsideWork(int limit);

    /** The operator actions, each recorded in the audit trail under {@code actor}. */
    Operator as(String actor);

    /**
     * The actions of one operator. Each delegates to the {@link OperationScheduler} (or to
     * {@link OperationAdmin#retryFrom}) and, once the action succeeded, records who did what and when. An action
     * that throws is not recorded.
     */
    interface Operator {
        String actor();

        void retry(OperationId id);

        void retryFrom(OperationId id, String step);

        /** As {@link OperationAdmin#move}, recorded as this operator's. */
        void move(OperationId id, String step);

        void runNow(OperationId id);

        void expire(OperationId id);

        void fail(OperationId id, String reason);

        void cancel(OperationId id);

        /**
         * Sends the signal {@code name} with a JSON text payload (null or blank for none), as
         * {@link OperationScheduler#signal} does; recorded with the signal's name.
         */
        void signal(OperationId id, String name, String payloadJson);

        /** Retries every matching FAILED, EXPIRED, CANCELLED or PAUSED operation; the others are left alone. */
        default BulkResult retryAll(OperationQuery query) {
            return retryAll(query, UUID.randomUUID(), BulkListener.NONE);
        }

        /**
         * As {@link #retryAll(OperationQuery)}, as the run {@code runId} (recorded with the audit entry of each
         * operation it retries; see {@link OperationQuery.Builder#bulkRun}), telling {@code listener} how it goes.
         * The other bulk methods take the same two arguments last.
         */
        BulkResult retryAll(OperationQuery query, UUID runId, BulkListener listener);

        /** Expires every matching RUNNING operation; the others are left alone. */
        default BulkResult expireAll(OperationQuery query) {
            return expireAll(query, UUID.randomUUID(), BulkListener.NONE);
        }

        /** As {@link #expireAll(OperationQuery)}, as the run {@code runId}, telling {@code listener} how it goes. */
        BulkResult expireAll(OperationQuery query, UUID runId, BulkListener listener);

        /** Cancels every matching RUNNING or PAUSED operation; the others are left alone. */
        default BulkResult cancelAll(OperationQuery query) {
            return cancelAll(query, UUID.randomUUID(), BulkListener.NONE);
        }

        /** As {@link #cancelAll(OperationQuery)}, as the run {@code runId}, telling {@code listener} how it goes. */
        BulkResult cancelAll(OperationQuery query, UUID runId, BulkListener listener);

        /**
         * Fails every matching RUNNING or PAUSED operation with {@code reason} (1 to 2,000 characters, checked before any
         * is failed); the others are left alone.
         */
        default BulkResult failAll(OperationQuery query, String reason) {
            return failAll(query, reason, UUID.randomUUID(), BulkListener.NONE);
        }

        /** As {@link #failAll(OperationQuery, String)}, as the run {@code runId}, telling {@code listener} how it goes. */
        BulkResult failAll(OperationQuery query, String reason, UUID runId, BulkListener listener);

        /**
         * Sends the signal {@code name} with a JSON payload (null or blank for none, checked before any is sent) to every
         * matching RUNNING or PAUSED operation; the others are left alone.
         */
        default BulkResult signalAll(OperationQuery query, String name, String payloadJson) {
            return signalAll(query, name, payloadJson, UUID.randomUUID(), BulkListener.NONE);
        }

        /**
         * As {@link #signalAll(OperationQuery, String, String)}, as the run {@code runId}, telling {@code listener} how
         * it goes.
         */
        BulkResult signalAll(OperationQuery query, String name, String payloadJson, UUID runId, BulkListener listener);

        /**
         * Gives set-aside staged work back to the relay, which offers it again on its next pass; recorded on its
         * operation.
         *
         * @throws IllegalOperationStateException if no such item is set aside (released or discarded meanwhile)
         */
        void releaseSetAside(UUID stagedWorkId);

        /**
         * Deletes set-aside staged work for good: it will never be handed over. Recorded on its operation.
         *
         * @throws IllegalOperationStateException if no such item is set aside
         */
        void discardSetAside(UUID stagedWorkId);
    }

    /**
     * Records an access event of the admin tools in the audit trail: a sign-in, a sign-out, a failed sign-in, an
     * action refused to its caller. {@code operationId} is the operation it concerns, or null; {@code actor} is the
     * user name as given (at most 200 characters are kept), {@code action} a short name such as {@code sign-in-failed}
     * (1 to 40 characters), {@code detail} free text or null (at most 2,000 characters are kept), and
     * {@code clientAddress} the network address the request came from, or null (at most 100 characters are kept).
     *
     * @throws IllegalArgumentException if the actor is blank or the action blank or longer than 40 characters
     */
    void recordAccess(OperationId operationId, String actor, String action, String detail, String clientAddress);

    /**
     * One page of the audit trail, newest first, with the filters of {@code query}: operator actions and access
     * events, each with its client address where one was recorded.
     */
    AuditPage auditPage(AuditQuery query);
}

package io.durableops.core.internal.store;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;

import java.time.Instant;
import java.util.UUID;

/** The rows of Durable Ops' tables, as stored (payload columns still encrypted). */
public final class Rows {
    private Rows() {
    }

    public record Operation(UUID id, String definition, int definitionVersion, OperationStatus status,
                            String currentStep, UUID currentAttemptId, byte[] globals, byte[] results,
                            String failureReason, String idempotencyKey, UUID parentId,
                            Instant createdAt, Instant updatedAt, Instant finishedAt, Instant deadlineAt, String traceContext,
                            Queueing queueing) {
        /** This operation as a completion leaves it: at {@code step}'s attempt {@code attempt}, with {@code globals}. */
        public Operation movedTo(String step, UUID attempt, byte[] globals, Instant now) {
            return new Operation(id, definition, definitionVersion, status, step, attempt, globals, results, failureReason,
                    idempotencyKey, parentId, createdAt, now, finishedAt, deadlineAt, traceContext, queueing);
        }
    }

    /**
     * Where an operation stands before limits (see V14__limits.sql): its priority, and for a definition with a per-key
     * limit the key's digest, its place in the key's order, and whether it holds one of the key's places.
     */
    public record Queueing(int priority, String partitionKey, Long partitionSeq, boolean admitted) {
        public static final Queueing NONE = new Queueing(0, null, null, false);

        public static Queueing of(int priority) {
            return priority == 0 ? NONE : new Queueing(priority, null, null, false);
        }
    }

    /**
     * An attempt row. {@code globals}: the operation's globals, encrypted, as this attempt starts from them, when the
     * step before was recorded alone and changed them (the operation row then still holds older ones); else null.
     */
    public record Attempt(UUID id, UUID operationId, String step, int visit, AttemptStatus status, byte[] args,
                          int generation, int dispatchPending, int attemptCount, Instant scheduledAt,
                          Instant startedAt, Instant finishedAt, Instant leaseUntil, String lastErrorClass,
                          String reason, Instant createdAt, Instant updatedAt, Instant deadlineAt, byte[] globals) {
        /**
         * A new visit of {@code step}, due {@code now}, first generation, its dispatch pending; {@code deadlineAt}: a wait's
         * timeout, or null.
         */
        public static Attempt scheduled(UUID id, UUID operationId, String step, int visit, byte[] args, Instant now, Instant deadlineAt) {
            return new Attempt(id, operationId, step, visit, AttemptStatus.SCHEDULED, args, 1, 1, 0, now, null, null, null, null, null,
                    now, now, deadlineAt, null);
        }

        /** This attempt due at {@code runAt}. */
        public Attempt dueAt(Instant runAt) {
            return new Attempt(id, operationId, step, visit, status, args, generation, dispatchPending, attemptCount, runAt, startedAt,
                    finishedAt, leaseUntil, lastErrorClass, reason, createdAt, updatedAt, deadlineAt, globals);
        }

        /** This attempt with {@code dispatch_pending} set to {@code dispatchPending} (see V1 and JdbcStore's constants). */
        public Attempt dispatchPending(int dispatchPending) {
            return new Attempt(id, operationId, step, visit, status, args, generation, dispatchPending, attemptCount, scheduledAt,
                    startedAt, finishedAt, leaseUntil, lastErrorClass, reason, createdAt, updatedAt, deadlineAt, globals);
        }

        /**
         * This new attempt inserted already claimed by the worker that recorded the step before (the fast path): RUNNING,
         * its first try counted, leased until {@code leaseUntil}, nothing to dispatch; carrying {@code globals} (encrypted)
         * when the step before was recorded alone and changed them, else null.
         */
        public Attempt claimedAtInsert(Instant now, Instant leaseUntil, byte[] globals) {
            return new Attempt(id, operationId, step, visit, AttemptStatus.RUNNING, args, generation, 0, 1, scheduledAt, now, null,
                    leaseUntil, null, null, createdAt, now, deadlineAt, globals);
        }

        /** This scheduled attempt as a claim leaves it: RUNNING, its try counted, leased until {@code leaseUntil}. */
        public Attempt claimed(Instant now, Instant leaseUntil) {
            return new Attempt(id, operationId, step, visit, AttemptStatus.RUNNING, args, generation, dispatchPending, attemptCount + 1,
                    scheduledAt, now, null, leaseUntil, null, null, createdAt, now, deadlineAt, globals);
        }

        /** This attempt, recorded alone, as settling by its successor {@code next} leaves it: SUCCEEDED when next was created. */
        public Attempt settledBy(Attempt next) {
            return new Attempt(id, operationId, step, visit, AttemptStatus.SUCCEEDED, args, generation, dispatchPending, attemptCount,
                    scheduledAt, startedAt, next.createdAt(), null, lastErrorClass, null, createdAt, next.createdAt(), deadlineAt, globals);
        }
    }

    public record Error(UUID attemptId, int tryNumber, UUID operationId, String errorClass, byte[] message,
                        byte[] stackTrace, Instant occurredAt) {
    }

    /** An attempt and its operation, read together. */
    public record Claimed(Operation operation, Attempt attempt) {
    }

    /** Staged work as stored (payload encrypted). */
    public record Staged(UUID id, String kind, byte[] payload) {
    }

    /** An attempt due for dispatch, with the definition name for a readable job label. */
    public record Pending(UUID attemptId, int generation, UUID operationId, String definition, String step,
                          int attemptCount, Instant scheduledAt) {
        /** An attempt as it was inserted. */
        public static Pending of(Attempt a, String definition) {
            return new Pending(a.id(), a.generation(), a.operationId(), definition, a.step(), a.attemptCount(), a.scheduledAt());
        }

        /** An attempt as read before it was scheduled again, under the next generation, for {@code runAt}. */
        public static Pending rescheduled(Attempt a, String definition, Instant runAt) {
            return new Pending(a.id(), a.generation() + 1, a.operationId(), definition, a.step(), a.attemptCount(), runAt);
        }
    }
}

package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.DecryptionException;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.ErrorView;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.StorageException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.core.internal.Limits;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.JdbcStore;
import io.durableops.core.internal.json.LazyData;
import io.durableops.core.internal.store.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** The {@link OperationScheduler}: enqueue, look-ups and operator actions. */
public final class OperationService implements OperationScheduler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OperationService.class);
    private final Engine engine;
    private final Dispatch dispatch;
    private final Consumer<UUID> afterCallerCommit;
    private final Endings endings;
    private final Waits waits;

    /** {@code afterCallerCommit} is told of each attempt written in a caller's transaction, to dispatch it once committed. */
    public OperationService(Engine engine, Dispatch dispatch, Consumer<UUID> afterCallerCommit) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.afterCallerCommit = afterCallerCommit;
        this.endings = new Endings(engine);
        this.waits = new Waits(engine);
        engine.awaits().bind(engine, this::view);
    }

    @Override
    public java.util.concurrent.CompletableFuture<OperationView> resultAsync(OperationId id) {
        get(id); // why first: an unknown id is an OperationNotFoundException now, not a future that never completes
        return engine.awaits().of(id).thenApply(view -> {
            if (view.status() != OperationStatus.COMPLETED) throw new io.durableops.core.OperationFailedException(view);
            return view;
        });
    }

    @Override
    public OperationView await(OperationId id, java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        get(id);
        try {
            OperationView view = engine.awaits().of(id).get(Math.max(0, timeout.toNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (view.status() != OperationStatus.COMPLETED) throw new io.durableops.core.OperationFailedException(view);
            return view;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.durableops.core.AwaitTimeoutException(id, timeout, get(id).status());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.durableops.core.DurableOpsException("interrupted while awaiting operation " + id);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("awaiting operation " + id + " failed", e.getCause());
        }
    }

    @Override
    public OperationId enqueue(String definitionName, Map<String, ?> input, EnqueueOptions options) {
        NewOperation op = NewOperation.prepare(engine, definitionName, input, Objects.requireNonNull(options, "options"), 1, null);
        OperationId id = op.insertOrFind(engine);
        if (id.equals(op.id())) dispatch.sendNew(List.of(op));
        return id;
    }

    @Override
    public List<OperationId> enqueueAll(String definitionName, List<? extends Map<String, ?>> inputs, EnqueueOptions options) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        if (options.idempotencyKey().isPresent()) {
            throw new IllegalArgumentException("enqueueAll takes no idempotency key: a key names one operation, so enqueue "
                    + "operations with keys one at a time");
        }
        engine.definitions().get(definitionName); // an unknown name fails even with no inputs
        if (inputs.isEmpty()) return List.of();
        List<NewOperation> ops = new ArrayList<>(inputs.size());
        for (Map<String, ?> input : inputs) ops.add(NewOperation.prepare(engine, definitionName, input, options, 1, null));
        NewOperation.insertAll(engine, ops);
        dispatch.sendNew(ops);
        return ops.stream().map(NewOperation::id).toList();
    }

    @Override
    public OperationId enqueue(Connection connection, String definitionName, Map<String, ?> input, EnqueueOptions options) {
        Objects.requireNonNull(connection, "connection");
        NewOperation op = NewOperation.prepare(engine, definitionName, input, Objects.requireNonNull(options, "options"),
                JdbcStore.AFTER_CALLER_COMMIT, null);
        OperationId id;
        try {
            id = op.insertOrFind(engine, connection);
        } catch (SQLException e) {
            throw new StorageException("could not enqueue operation '" + op.definition().name() + "' in the caller's transaction: " + e.getMessage(), e);
        }
        if (id.equals(op.id())) afterCallerCommit.accept(op.attempt().id());
        return id;
    }

    @Override
    public Optional<OperationView> find(OperationId id) {
        return engine.tx().auto("read operation " + id, c -> engine.store().findOperation(c, id.value())).map(this::view);
    }

    @Override
    public List<AttemptView> attempts(OperationId id) {
        return engine.tx().auto("read attempts of operation " + id, c -> {
            List<Rows.Error> errors = io.durableops.core.internal.store.ErrorStore.errorsOf(c, id.value());
            List<AttemptView> views = new ArrayList<>();
            for (Rows.Attempt a : engine.store().turns().attemptsOf(c, id.value())) {
                List<ErrorView> own = errors.stream().filter(e -> e.attemptId().equals(a.id()))
                        .map(e -> new ErrorView(e.tryNumber(), e.errorClass(), readable(e.message(), "an error message of attempt " + a.id()),
                                readable(e.stackTrace(), "a stack trace of attempt " + a.id()), e.occurredAt()))
                        .toList();
                views.add(new AttemptView(a.id(), a.step(), a.visit(), a.status(), a.attemptCount(), a.scheduledAt(),
                        Optional.ofNullable(a.startedAt()), Optional.ofNullable(a.finishedAt()), Optional.ofNullable(a.reason()),
                        new LazyData(() -> engine.codec().open(a.args(), "the args of attempt " + a.id()), engine.codec(), "args"), own));
            }
            return views;
        });
    }

    /**
     * What an operator action writes in its own transaction besides the change itself, once the change has won: the
     * audit entry ({@code AuditedOperator}). A rejected action writes nothing.
     */
    @FunctionalInterface
    public interface AlsoRecord {
        AlsoRecord NOTHING = (c, operationId, now) -> { };

        void write(Connection c, UUID operationId, Instant now) throws SQLException;
    }

    @Override
    public void retry(OperationId id) {
        retry(id, AlsoRecord.NOTHING);
    }

    /**
     * Retries a stopped operation from the attempt it stopped at. A compare-and-set: the operation is read with its lock,
     * and its status and its attempt's generation are the condition of each update, so of concurrent retries exactly one
     * wins; the others get {@link IllegalOperationStateException} and change nothing.
     */
    public void retry(OperationId id, AlsoRecord also) {
        Rows.Pending pending = engine.tx().run("retry operation " + id, c -> {
            Rows.Operation op = locked(c, id);
            if (op.status() == OperationStatus.RUNNING || op.status() == OperationStatus.COMPLETED) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status()
                        + "; only FAILED, EXPIRED or CANCELLED operations can be retried");
            }
            Instant now = engine.now();
            Rows.Attempt current = engine.store().findAttempt(c, op.currentAttemptId()).orElseThrow();
            StepDef step = engine.definitions().resolve(op.definition(), op.definitionVersion(), current.step())
                    .flatMap(d -> d.step(current.step())).orElse(null);
            // why not a step that succeeded (but a failure step, whose success is the failure): retried, it would run
            // twice; retry from the step that should run instead
            List<AttemptStatus> from = step != null && step.kind() == io.durableops.core.internal.flow.StepDef.Kind.FAILURE
                    ? List.of(AttemptStatus.FAILED, AttemptStatus.EXPIRED, AttemptStatus.CANCELLED, AttemptStatus.SUCCEEDED)
                    : List.of(AttemptStatus.FAILED, AttemptStatus.EXPIRED, AttemptStatus.CANCELLED);
            if (!from.contains(current.status())) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status() + " at step '" + current.step()
                        + "', whose attempt " + current.status() + "; retry it from a step instead");
            }
            if (!engine.store().changeOperationStatus(c, op.id(), op.status(), OperationStatus.RUNNING, null, now)
                    || !engine.store().reschedule(c, current.id(), current.generation(), from, now, now)) {
                throw changedMeanwhile(id, "retried");
            }
            // why: an operator's retry overrides the deadline that may have ended the operation
            engine.flow().resetDeadlines(c, op.id(), current.id(), Waits.deadlineOf(step, now));
            also.write(c, op.id(), now);
            return Rows.Pending.rescheduled(current, op.definition(), now);
        });
        dispatch.send(List.of(pending));
    }

    @Override
    public void expire(OperationId id) {
        expire(id, AlsoRecord.NOTHING);
    }

    public void expire(OperationId id, AlsoRecord also) {
        end(id, OperationStatus.EXPIRED, "expired by an operator", also);
    }

    @Override
    public void fail(OperationId id, String reason) {
        fail(id, reason, AlsoRecord.NOTHING);
    }

    public void fail(OperationId id, String reason, AlsoRecord also) {
        end(id, OperationStatus.FAILED, Limits.requireReason(reason, "fail(...)"), also);
    }

    @Override
    public void cancel(OperationId id) {
        cancel(id, AlsoRecord.NOTHING);
    }

    public void cancel(OperationId id, AlsoRecord also) {
        end(id, OperationStatus.CANCELLED, "cancelled", also);
    }

    /** Ends a running operation; of concurrent ends (or an end and a retry) exactly one wins, as in {@link #retry}. */
    private void end(OperationId id, OperationStatus status, String reason, AlsoRecord also) {
        List<Rows.Pending> after = new ArrayList<>();
        engine.tx().run(status.name().toLowerCase() + " operation " + id, c -> {
            after.clear();
            Rows.Operation op = locked(c, id);
            Instant now = engine.now();
            if (!endings.end(c, op.id(), status, reason, now, true, after)) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status() + "; only a RUNNING or PAUSED "
                        + "operation can be " + (status == OperationStatus.FAILED ? "failed" : status.name().toLowerCase()));
            }
            also.write(c, op.id(), now);
            return null;
        });
        dispatch.send(after);
        engine.awaits().ended(id.value());
    }

    @Override
    public void signal(OperationId id, String name, Object payload) {
        signal(id, name, payload, AlsoRecord.NOTHING);
    }

    public void signal(OperationId id, String name, Object payload, AlsoRecord also) {
        if (name == null || name.isBlank() || name.length() > Limits.NAME) {
            throw new IllegalArgumentException("a signal needs a name of 1 to " + Limits.NAME + " characters");
        }
        ObjectNode wrapper = engine.codec().emptyObject();
        wrapper.set("payload", engine.codec().toNode(payload, "the payload of signal '" + name + "'"));
        byte[] sealed = engine.codec().seal(wrapper, "the payload of signal '" + name + "'");
        Optional<Rows.Pending> woken = engine.tx().run("signal operation " + id, c -> {
            // why locked: the wait to wake is told from the operation as it is now, and it cannot move meanwhile
            Rows.Operation op = locked(c, id);
            if (op.status() != OperationStatus.RUNNING && op.status() != OperationStatus.PAUSED) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status() + "; signal '" + name
                        + "' was not delivered (only a RUNNING or PAUSED operation receives signals)");
            }
            Instant now = engine.now();
            engine.flow().insertSignal(c, UUID.randomUUID(), op.id(), name, sealed, now);
            also.write(c, op.id(), now);
            if (op.status() == OperationStatus.PAUSED) {
                // why kept: the wait that consumes it runs once an operator moves or retries the operation
                LOG.info("signal '{}' kept for operation {}, which is PAUSED; it is consumed once the operation is moved or retried", name, id);
                return Optional.<Rows.Pending>empty();
            }
            return waits.wake(c, op, now);
        });
        woken.ifPresent(p -> dispatch.send(List.of(p)));
    }

    @Override
    public List<String> pendingSignals(OperationId id) {
        return engine.tx().auto("read the pending signals of operation " + id, c -> engine.flow().unconsumedNames(c, id.value()));
    }

    @Override
    public List<OperationId> findBySearchAttribute(String definition, String name, Object value) {
        Objects.requireNonNull(name, "name");
        String text = SearchAttributes.text(engine.codec().toNode(value, "search attribute '" + name + "'"));
        return engine.tx().auto("find operations by search attribute '" + name + "'",
                c -> engine.flow().findBySearchAttribute(c, definition, name, text, 1000)).stream().map(OperationId::of).toList();
    }

    @Override
    public void runNow(OperationId id) {
        runNow(id, AlsoRecord.NOTHING);
    }

    /** Makes a delayed attempt due now; of concurrent calls exactly one wins, as in {@link #retry}. */
    public void runNow(OperationId id, AlsoRecord also) {
        Rows.Pending pending = engine.tx().run("run operation " + id + " now", c -> {
            Rows.Operation op = locked(c, id);
            Rows.Attempt current = op.status() != OperationStatus.RUNNING ? null
                    : engine.store().findAttempt(c, op.currentAttemptId()).orElse(null);
            Instant now = engine.now();
            if (current == null || current.status() != AttemptStatus.SCHEDULED) {
                throw new IllegalOperationStateException("operation " + id + " has no scheduled attempt to run now (it is "
                        + op.status() + (current == null ? "" : ", its attempt is " + current.status()) + ")");
            }
            if (!current.scheduledAt().isAfter(now)) {
                throw new IllegalOperationStateException("operation " + id + " is already due at step '" + current.step()
                        + "' (since " + current.scheduledAt() + "); nothing to bring forward");
            }
            if (!engine.store().reschedule(c, current.id(), current.generation(), List.of(AttemptStatus.SCHEDULED), now, now)) {
                throw changedMeanwhile(id, "run now");
            }
            also.write(c, op.id(), now);
            return Rows.Pending.rescheduled(current, op.definition(), now);
        });
        dispatch.send(List.of(pending));
    }

    private static IllegalOperationStateException changedMeanwhile(OperationId id, String action) {
        return new IllegalOperationStateException("operation " + id + " changed while it was being " + action + "; look at it again");
    }

    /** Error texts are shown even when they cannot be decrypted, with the reason in their place. */
    private String readable(byte[] sealed, String what) {
        try {
            return engine.codec().openText(sealed, what);
        } catch (DecryptionException e) {
            return "[" + e.getMessage() + "]";
        }
    }

    /** The operation, read with its lock ({@code JdbcStore.lockOperation}): what an action decides from. */
    private Rows.Operation locked(Connection c, OperationId id) throws SQLException {
        return engine.store().lockOperation(c, id.value()).orElseThrow(() -> new OperationNotFoundException(id));
    }

    private OperationView view(Rows.Operation o) {
        return new OperationView(OperationId.of(o.id()), o.definition(), o.definitionVersion(), o.status(), o.currentStep(),
                Optional.ofNullable(o.failureReason()), o.createdAt(), o.updatedAt(), Optional.ofNullable(o.finishedAt()),
                new LazyData(() -> engine.codec().open(o.globals(), "the globals of operation " + o.id()), engine.codec(), "globals"),
                new LazyData(() -> engine.codec().open(o.results(), "the results of operation " + o.id()), engine.codec(), "results"),
                Optional.ofNullable(o.parentId()).map(OperationId::of), Optional.ofNullable(queuedReason(o)));
    }

    /** Why the operation's next step waits behind a limit, if it does. */
    private String queuedReason(Rows.Operation o) {
        if (o.status() != OperationStatus.RUNNING || o.currentAttemptId() == null) return null;
        return engine.tx().auto("read why operation " + o.id() + " waits",
                c -> io.durableops.core.internal.store.PermitStore.queuedReason(c, o.currentAttemptId()));
    }

}

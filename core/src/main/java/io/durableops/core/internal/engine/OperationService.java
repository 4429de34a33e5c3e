package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.DecryptionException;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.ErrorView;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.MissingInputException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.json.LazyData;
import io.durableops.core.internal.store.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The {@link OperationScheduler}: enqueue, look-ups and operator actions. */
public final class OperationService implements OperationScheduler {
    private final Engine engine;
    private final Dispatch dispatch;

    public OperationService(Engine engine, Dispatch dispatch) {
        this.engine = engine;
        this.dispatch = dispatch;
    }

    @Override
    public OperationId enqueue(String definitionName, Map<String, ?> input, EnqueueOptions options) {
        Objects.requireNonNull(options, "options");
        CompiledDefinition definition = engine.definitions().get(definitionName);
        Map<String, ?> given = input == null ? Map.of() : input;
        Set<String> missing = new LinkedHashSet<>(definition.requiredInputs());
        given.forEach((key, value) -> {
            if (value != null) missing.remove(key);
        });
        if (!missing.isEmpty()) throw new MissingInputException(definition.name(), missing);
        ObjectNode globals = engine.codec().toObject(given, "input");

        Instant now = engine.now();
        UUID operationId = UUID.randomUUID();
        UUID attemptId = UUID.randomUUID();
        Instant firstRun = options.firstRunAt(now).plus(definition.step(definition.start()).orElseThrow().options().startDelay());
        Rows.Operation operation = new Rows.Operation(operationId, definition.name(), definition.version(), OperationStatus.RUNNING,
                definition.start(), attemptId, engine.codec().seal(globals), null, null, null, null, now, now, null);
        Rows.Attempt attempt = new Rows.Attempt(attemptId, operationId, definition.start(), 1, AttemptStatus.SCHEDULED,
                engine.codec().seal(globals), 1, true, 0, firstRun.isBefore(now) ? now : firstRun, null, null, null, null, null, now, now);
        engine.tx().run("enqueue operation '" + definition.name() + "'", c -> {
            engine.store().insertOperation(c, operation);
            engine.store().insertAttempt(c, attempt);
            return null;
        });
        dispatch.send(List.of(pending(attempt, definition.name())));
        return OperationId.of(operationId);
    }

    @Override
    public Optional<OperationView> find(OperationId id) {
        return engine.tx().auto("read operation " + id, c -> engine.store().findOperation(c, id.value())).map(this::view);
    }

    @Override
    public List<AttemptView> attempts(OperationId id) {
        return engine.tx().auto("read attempts of operation " + id, c -> {
            List<Rows.Error> errors = engine.store().errorsOf(c, id.value());
            List<AttemptView> views = new ArrayList<>();
            for (Rows.Attempt a : engine.store().attemptsOf(c, id.value())) {
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

    @Override
    public void retry(OperationId id) {
        Rows.Pending pending = engine.tx().run("retry operation " + id, c -> {
            Rows.Operation op = operation(c, id);
            if (op.status() == OperationStatus.RUNNING || op.status() == OperationStatus.COMPLETED) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status()
                        + "; only FAILED, EXPIRED or CANCELLED operations can be retried");
            }
            Instant now = engine.now();
            Rows.Attempt current = engine.store().findAttempt(c, op.currentAttemptId()).orElseThrow();
            engine.store().changeOperationStatus(c, op.id(), op.status(), OperationStatus.RUNNING, null, now);
            engine.store().reschedule(c, current.id(), List.of(AttemptStatus.FAILED, AttemptStatus.EXPIRED,
                    AttemptStatus.CANCELLED, AttemptStatus.SUCCEEDED), now, now);
            return new Rows.Pending(current.id(), current.generation() + 1, op.id(), op.definition(), current.step(),
                    current.attemptCount(), now);
        });
        dispatch.send(List.of(pending));
    }

    @Override
    public void expire(OperationId id) {
        end(id, OperationStatus.EXPIRED, AttemptStatus.EXPIRED, "expired by an operator");
    }

    @Override
    public void fail(OperationId id, String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("fail(...) needs a reason");
        end(id, OperationStatus.FAILED, AttemptStatus.FAILED, reason);
    }

    @Override
    public void cancel(OperationId id) {
        end(id, OperationStatus.CANCELLED, AttemptStatus.CANCELLED, "cancelled");
    }

    private void end(OperationId id, OperationStatus status, AttemptStatus attemptStatus, String reason) {
        engine.tx().run(status.name().toLowerCase() + " operation " + id, c -> {
            Rows.Operation op = operation(c, id);
            Instant now = engine.now();
            if (!engine.store().changeOperationStatus(c, op.id(), OperationStatus.RUNNING, status, reason, now)) {
                throw new IllegalOperationStateException("operation " + id + " is " + op.status()
                        + "; only a RUNNING operation can be " + status.name().toLowerCase());
            }
            engine.store().endOpenAttempts(c, op.id(), attemptStatus, reason, now);
            return null;
        });
    }

    @Override
    public void runNow(OperationId id) {
        Rows.Pending pending = engine.tx().run("run operation " + id + " now", c -> {
            Rows.Operation op = operation(c, id);
            Rows.Attempt current = op.status() != OperationStatus.RUNNING ? null
                    : engine.store().findAttempt(c, op.currentAttemptId()).orElse(null);
            Instant now = engine.now();
            if (current == null || current.status() != AttemptStatus.SCHEDULED) {
                throw new IllegalOperationStateException("operation " + id + " has no scheduled attempt to run now (it is "
                        + op.status() + (current == null ? "" : ", its attempt is " + current.status()) + ")");
            }
            if (!current.scheduledAt().isAfter(now)) return null; // already due: nothing to bring forward
            engine.store().reschedule(c, current.id(), List.of(AttemptStatus.SCHEDULED), now, now);
            return new Rows.Pending(current.id(), current.generation() + 1, op.id(), op.definition(), current.step(),
                    current.attemptCount(), now);
        });
        if (pending != null) dispatch.send(List.of(pending));
    }

    /** Error texts are shown even when they cannot be decrypted, with the reason in their place. */
    private String readable(byte[] sealed, String what) {
        try {
            return engine.codec().openText(sealed, what);
        } catch (DecryptionException e) {
            return "[" + e.getMessage() + "]";
        }
    }

    private Rows.Operation operation(Connection c, OperationId id) throws SQLException {
        return engine.store().findOperation(c, id.value()).orElseThrow(() -> new OperationNotFoundException(id));
    }

    private OperationView view(Rows.Operation o) {
        return new OperationView(OperationId.of(o.id()), o.definition(), o.definitionVersion(), o.status(), o.currentStep(),
                Optional.ofNullable(o.failureReason()), o.createdAt(), o.updatedAt(), Optional.ofNullable(o.finishedAt()),
                new LazyData(() -> engine.codec().open(o.globals(), "the globals of operation " + o.id()), engine.codec(), "globals"),
                new LazyData(() -> engine.codec().open(o.results(), "the results of operation " + o.id()), engine.codec(), "results"));
    }

    static Rows.Pending pending(Rows.Attempt a, String definition) {
        return new Rows.Pending(a.id(), a.generation(), a.operationId(), definition, a.step(), a.attemptCount(), a.scheduledAt());
    }
}

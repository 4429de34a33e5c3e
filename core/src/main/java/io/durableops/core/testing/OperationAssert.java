package io.durableops.core.testing;

import io.durableops.core.AttemptView;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Assertions about one operation, in its own terms, for tests with any framework (it throws {@link AssertionError}):
 * {@code OperationAssert.assertThat(engine.scheduler(), id).isCompleted().hasResult("total", 3L).ranSteps("a", "b", "done")}.
 * Each assertion reads the operation as it is stored at that moment; a failure says what the operation is instead
 * (its status, step, reason and why it waits), which a bare {@code assertEquals} on a status does not. Failure
 * messages quote results, globals and reasons: they are meant for tests, not for production logs.
 */
public final class OperationAssert {
    private final OperationScheduler scheduler;
    private final OperationId id;

    private OperationAssert(OperationScheduler scheduler, OperationId id) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.id = Objects.requireNonNull(id, "id");
    }

    /** Assertions about operation {@code id}, read through {@code scheduler}. */
    public static OperationAssert assertThat(OperationScheduler scheduler, OperationId id) {
        return new OperationAssert(scheduler, id);
    }

    /** The operation has {@code status}. */
    public OperationAssert hasStatus(OperationStatus status) {
        OperationView view = view();
        if (view.status() != status) throw failure("to be " + status, view);
        return this;
    }

    public OperationAssert isCompleted() {
        return hasStatus(OperationStatus.COMPLETED);
    }

    /** The operation is RUNNING (a step due, running, waiting or queued). */
    public OperationAssert isRunning() {
        return hasStatus(OperationStatus.RUNNING);
    }

    /** The operation is FAILED with a reason that contains {@code reasonPart}. */
    public OperationAssert isFailedWith(String reasonPart) {
        OperationView view = view();
        if (view.status() != OperationStatus.FAILED || !view.failureReason().orElse("").contains(reasonPart)) {
            throw failure("to be FAILED with a reason containing '" + reasonPart + "'", view);
        }
        return this;
    }

    /** The operation is at {@code step}: the step it runs, waits in, or ended at. */
    public OperationAssert isAt(String step) {
        OperationView view = view();
        if (!Objects.equals(view.currentStep(), step)) throw failure("to be at step '" + step + "'", view);
        return this;
    }

    /** The operation's next step waits behind a limit, for a reason that contains {@code reasonPart}. */
    public OperationAssert isQueuedBecause(String reasonPart) {
        OperationView view = view();
        if (!view.queuedReason().orElse("").contains(reasonPart)) throw failure("to be queued because '" + reasonPart + "'", view);
        return this;
    }

    /** The operation's results hold {@code key} equal to {@code expected} (read as {@code expected}'s class). */
    public OperationAssert hasResult(String key, Object expected) {
        OperationView view = view();
        Object actual = view.results().find(key, expected.getClass()).orElse(null);
        if (!expected.equals(actual)) throw failure("to have result " + key + " = " + expected + " but it is " + actual, view);
        return this;
    }

    /** The operation's globals hold {@code key} equal to {@code expected} (read as {@code expected}'s class). */
    public OperationAssert hasGlobal(String key, Object expected) {
        OperationView view = view();
        Object actual = view.globals().find(key, expected.getClass()).orElse(null);
        if (!expected.equals(actual)) throw failure("to have global " + key + " = " + expected + " but it is " + actual, view);
        return this;
    }

    /** The operation visited exactly these steps, in this order (one per attempt; a retried step counts once). */
    public OperationAssert ranSteps(String... steps) {
        List<String> visited = scheduler.attempts(id).stream().map(AttemptView::step).toList();
        if (!visited.equals(Arrays.asList(steps))) throw failure("to have visited " + Arrays.asList(steps) + " but it visited " + visited, view());
        return this;
    }

    /** The last visit of {@code step} took {@code tries} tries. */
    public OperationAssert triedStep(String step, int tries) {
        List<AttemptView> visits = scheduler.attempts(id).stream().filter(a -> a.step().equals(step)).toList();
        if (visits.isEmpty()) throw failure("to have visited step '" + step + "'", view());
        int actual = visits.get(visits.size() - 1).attemptCount();
        if (actual != tries) throw failure("to have tried step '" + step + "' " + tries + " time(s) but it took " + actual, view());
        return this;
    }

    /** The operation as stored now. */
    public OperationView view() {
        return scheduler.get(id);
    }

    private AssertionError failure(String expected, OperationView view) {
        StringBuilder s = new StringBuilder("expected operation ").append(id).append(" (").append(view.definition()).append(") ")
                .append(expected).append("; it is ").append(view.status()).append(" at step '").append(view.currentStep()).append('\'');
        view.failureReason().ifPresent(r -> s.append(", reason: ").append(r));
        view.queuedReason().ifPresent(r -> s.append(", waiting: ").append(r));
        return new AssertionError(s.toString());
    }
}

package io.durableops.core.testing;

import io.durableops.core.Data;
import io.durableops.core.OperationStatus;
import io.durableops.core.StagedWork;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one step decided when run in isolation by {@link StepTester}. */
public final class StepOutcome {
    private final String step;
    private final String nextStep;
    private final Instant nextAt;
    private final OperationStatus status;
    private final Data globals;
    private final Data nextArgs;
    private final Data results;
    private final String failureReason;
    private final Throwable error;
    private final Instant waitingUntil;
    private final List<Map.Entry<String, Data>> startedOperations;
    private final List<StagedWork> staged;

    StepOutcome(String step, String nextStep, Instant nextAt, OperationStatus status, Data globals, Data nextArgs, Data results,
                String failureReason, Throwable error, Instant waitingUntil, List<Map.Entry<String, Data>> startedOperations,
                List<StagedWork> staged) {
        this.step = step;
        this.nextStep = nextStep;
        this.nextAt = nextAt;
        this.status = status;
        this.globals = globals;
        this.nextArgs = nextArgs;
        this.results = results;
        this.failureReason = failureReason;
        this.error = error;
        this.waitingUntil = waitingUntil;
        this.startedOperations = startedOperations;
        this.staged = staged;
    }

    /** The step the flow goes to next; empty if the step ended the operation, failed, threw or keeps waiting. */
    public Optional<String> nextStep() {
        return Optional.ofNullable(nextStep);
    }

    /** When the next step would run (now, or later for a delay). */
    public Optional<Instant> nextAt() {
        return Optional.ofNullable(nextAt);
    }

    /** RUNNING while the flow goes on, COMPLETED after a result step, FAILED after a failure step or failWith. */
    public OperationStatus status() {
        return status;
    }

    /** The globals after the step, including its changes. */
    public Data globals() {
        return globals;
    }

    /** What the step passed to the next step with {@code ctx.pass}. */
    public Data nextArgs() {
        return nextArgs;
    }

    /** What a result step wrote. */
    public Data results() {
        return results;
    }

    /** The reason of a failure step or of {@code ctx.failWith}. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failureReason);
    }

    /** What the step's code threw (the retry policy would decide what follows). */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /** For a {@code waitUntil} whose condition does not hold: when it would be checked again. */
    public Optional<Instant> waitingUntil() {
        return Optional.ofNullable(waitingUntil);
    }

    /** Operations and children the step started (definition name, input), in order. */
    public List<Map.Entry<String, Data>> startedOperations() {
        return startedOperations;
    }

    /** Work the step staged. */
    public List<StagedWork> staged() {
        return staged;
    }

    @Override
    public String toString() {
        return "StepOutcome[" + step + " -> " + (nextStep != null ? nextStep : status)
                + (failureReason != null ? ", reason=" + failureReason : "") + (error != null ? ", error=" + error : "") + "]";
    }
}

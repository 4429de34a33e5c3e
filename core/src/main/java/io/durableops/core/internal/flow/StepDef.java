package io.durableops.core.internal.flow;

import io.durableops.core.Action;
import io.durableops.core.ChildInput;
import io.durableops.core.Condition;
import io.durableops.core.ResultHandler;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * One declared step. {@code next} is where an action or a wait goes by default: its explicit target or the next step
 * in its branch. Fields that do not apply to a kind are null.
 */
public record StepDef(String name, String branch, Kind kind, Action action, Condition condition, String ifTrue,
                      String ifFalse, ResultHandler resultHandler, String failureReason, StepOptions options,
                      WaitOptions waitOptions, String signal, String childDefinition, ChildInput childInput, String next) {
    /** When this step, a wait with a timeout reached at {@code reachedAt}, gives up; null for any other step. */
    public java.time.Instant waitDeadline(java.time.Instant reachedAt) {
        if (!kind.isWait() || waitOptions == null || waitOptions.waitTimeout() == null) return null;
        return reachedAt.plus(waitOptions.waitTimeout());
    }

    public enum Kind {
        ACTION, DECISION, RESULT, FAILURE, WAIT_CONDITION, WAIT_SIGNAL, WAIT_CHILDREN, CALL;

        public boolean isWait() {
            return this == WAIT_CONDITION || this == WAIT_SIGNAL || this == WAIT_CHILDREN || this == CALL;
        }

        /** How messages name the kind: "action", "wait for a signal", ... */
        public String label() {
            return switch (this) {
                case ACTION -> "action";
                case DECISION -> "decision";
                case RESULT -> "result";
                case FAILURE -> "failure";
                case WAIT_CONDITION -> "waitUntil";
                case WAIT_SIGNAL -> "awaitSignal";
                case WAIT_CHILDREN -> "awaitChildren";
                case CALL -> "call";
            };
        }

        /** Kinds that continue with the next step of their branch unless they name another, and may name it at run time. */
        public boolean fallsThrough() {
            return this == ACTION || isWait();
        }
    }

    static StepDef of(String name, String branch, Kind kind, StepOptions options) {
        return new StepDef(name, branch, kind, null, null, null, null, null, null, options, null, null, null, null, null);
    }

    StepDef withAction(Action action) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, resultHandler, failureReason, options, waitOptions, signal, childDefinition, childInput, next);
    }

    StepDef withDecision(Condition condition, String ifTrue, String ifFalse) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, resultHandler, failureReason, options, waitOptions, signal, childDefinition, childInput, next);
    }

    StepDef withResult(ResultHandler handler) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, handler, failureReason, options, waitOptions, signal, childDefinition, childInput, next);
    }

    StepDef withFailure(String reason) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, resultHandler, reason, options, waitOptions, signal, childDefinition, childInput, next);
    }

    StepDef withWait(WaitOptions wait, Condition condition, String signal, String childDefinition, ChildInput childInput) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, resultHandler, failureReason, options, wait, signal, childDefinition, childInput, wait.next());
    }

    StepDef withNext(String next) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, resultHandler, failureReason, options, waitOptions, signal, childDefinition, childInput, next);
    }

    public boolean isTerminal() {
        return kind == Kind.RESULT || kind == Kind.FAILURE;
    }

    /** Every step this one may go to, as declared. */
    public List<String> targets() {
        List<String> targets = new ArrayList<>();
        switch (kind) {
            case DECISION -> {
                targets.add(String.valueOf(ifTrue));
                targets.add(String.valueOf(ifFalse));
            }
            case RESULT, FAILURE -> {
            }
            default -> {
                if (next != null) targets.add(next);
                if (waitOptions != null && waitOptions.timeoutStep() != null) targets.add(waitOptions.timeoutStep());
                if (waitOptions != null && waitOptions.childFailureStep() != null) targets.add(waitOptions.childFailureStep());
            }
        }
        return targets;
    }

    /** The global a wait stores what arrived under. */
    public String storeKey() {
        if (waitOptions != null && waitOptions.storeKey() != null) return waitOptions.storeKey();
        return switch (kind) {
            case WAIT_SIGNAL -> signal;
            case WAIT_CHILDREN -> "children";
            case CALL -> name;
            default -> null;
        };
    }
}

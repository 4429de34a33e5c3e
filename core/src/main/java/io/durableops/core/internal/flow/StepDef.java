package io.durableops.core.internal.flow;

import io.durableops.core.Action;
import io.durableops.core.Condition;
import io.durableops.core.ResultHandler;
import io.durableops.core.StepOptions;

/** One declared step. {@code next} is where an action goes by default: its explicit target or the next step in its branch. */
public record StepDef(String name, String branch, Kind kind, Action action, Condition condition, String ifTrue,
                      String ifFalse, ResultHandler resultHandler, String failureReason, StepOptions options,
                      String next) {
    public enum Kind {ACTION, DECISION, RESULT, FAILURE}

    public boolean isTerminal() {
        return kind == Kind.RESULT || kind == Kind.FAILURE;
    }

    StepDef withNext(String next) {
        return new StepDef(name, branch, kind, action, condition, ifTrue, ifFalse, resultHandler, failureReason, options, next);
    }
}

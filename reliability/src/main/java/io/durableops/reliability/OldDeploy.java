package io.durableops.reliability;

import io.durableops.core.OperationDefinition;
import io.durableops.samples.reliability.Poison;

import java.util.List;

/**
 * Definitions as an earlier deploy had them: the driver enqueues with these, the workers run the current deploy. This
 * is what a rolling deploy leaves behind: operations stored by the old code, picked up by the new.
 */
final class OldDeploy {
    /** A definition the current deploy no longer has at all. */
    static final String RETIRED = "reliability-retired";

    private OldDeploy() {
    }

    static List<OperationDefinition> definitions() {
        return List.of(
                Poison.define(RETIRED, 1, flow -> flow.action("old-work", ctx -> { }).result("done")),
                // version 1 started at a step that version 2 (on the workers) renamed to "start"
                Poison.define(Poison.REDEPLOYED, 1, flow -> flow.action("legacy-start", ctx -> { }).result("done")));
    }
}

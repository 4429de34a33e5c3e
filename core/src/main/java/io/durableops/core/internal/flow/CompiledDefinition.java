package io.durableops.core.internal.flow;

import io.durableops.core.FastPath;
import io.durableops.core.OperationStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A validated definition, ready to run. */
public record CompiledDefinition(String name, int version, Set<String> requiredInputs, String start,
                                 Map<String, StepDef> steps, Map<String, List<String>> branches,
                                 Set<String> searchAttributes, Duration timeout, OperationStatus onExpiry,
                                 FastPath fastPath, List<io.durableops.core.Limit> limits, int priority) {

    /** The limits that count {@code step}: the definition's, then the step's own. */
    public List<io.durableops.core.Limit> limitsOf(StepDef step) {
        List<io.durableops.core.Limit> own = step.options().limits();
        if (own.isEmpty()) return limits;
        if (limits.isEmpty()) return own;
        List<io.durableops.core.Limit> all = new java.util.ArrayList<>(limits);
        all.addAll(own);
        return all;
    }

    /** The definition's per-key limit, if it has one. */
    public Optional<io.durableops.core.Limit> perKey() {
        return limits.stream().filter(l -> l.kind() == io.durableops.core.Limit.Kind.PER_KEY).findFirst();
    }

    public Optional<StepDef> step(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    /** The first step of {@code branch}, if the branch exists. */
    public Optional<String> firstOf(String branch) {
        List<String> names = branches.get(branch);
        return names == null || names.isEmpty() ? Optional.empty() : Optional.of(names.get(0));
    }
}

package io.durableops.core.internal.admin;

import io.durableops.core.admin.DefinitionView;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.flow.StepDef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compiled definitions as the public {@link DefinitionView}: their steps and declared edges. */
final class Described {
    private Described() {
    }

    static Optional<DefinitionView> of(Definitions definitions, String name) {
        if (name == null) return Optional.empty();
        List<DefinitionView.Version> versions = new ArrayList<>();
        for (int v : definitions.versions(name)) definitions.find(name, v).ifPresent(c -> versions.add(version(c)));
        return versions.isEmpty() ? Optional.empty() : Optional.of(new DefinitionView(name, versions));
    }

    private static DefinitionView.Version version(CompiledDefinition c) {
        List<DefinitionView.Step> steps = new ArrayList<>();
        for (StepDef s : c.steps().values()) {
            Duration timeout = s.kind().isWait() && s.waitOptions() != null ? s.waitOptions().waitTimeout() : null;
            steps.add(new DefinitionView.Step(s.name(), s.branch(), kind(s.kind()), edges(s),
                    Optional.ofNullable(s.kind() == StepDef.Kind.WAIT_SIGNAL ? s.signal() : null),
                    Optional.ofNullable(s.kind() == StepDef.Kind.CALL ? s.childDefinition() : null),
                    Optional.ofNullable(timeout), s.options().startDelay(), s.options().retryPolicy().maxAttempts()));
        }
        return new DefinitionView.Version(c.version(), c.start(), steps);
    }

    private static List<DefinitionView.Edge> edges(StepDef s) {
        List<DefinitionView.Edge> edges = new ArrayList<>();
        switch (s.kind()) {
            case DECISION -> {
                edges.add(new DefinitionView.Edge(s.ifTrue(), DefinitionView.When.IF_TRUE));
                edges.add(new DefinitionView.Edge(s.ifFalse(), DefinitionView.When.IF_FALSE));
            }
            case RESULT, FAILURE -> {
            }
            default -> {
                if (s.next() != null) edges.add(new DefinitionView.Edge(s.next(), DefinitionView.When.NEXT));
                if (s.waitOptions() != null && s.waitOptions().timeoutStep() != null) {
                    edges.add(new DefinitionView.Edge(s.waitOptions().timeoutStep(), DefinitionView.When.ON_TIMEOUT));
                }
                if (s.waitOptions() != null && s.waitOptions().childFailureStep() != null) {
                    edges.add(new DefinitionView.Edge(s.waitOptions().childFailureStep(), DefinitionView.When.ON_CHILD_FAILURE));
                }
            }
        }
        return edges;
    }

    private static DefinitionView.Kind kind(StepDef.Kind kind) {
        return switch (kind) {
            case ACTION -> DefinitionView.Kind.ACTION;
            case DECISION -> DefinitionView.Kind.DECISION;
            case RESULT -> DefinitionView.Kind.RESULT;
            case FAILURE -> DefinitionView.Kind.FAILURE;
            case WAIT_CONDITION -> DefinitionView.Kind.WAIT_UNTIL;
            case WAIT_SIGNAL -> DefinitionView.Kind.AWAIT_SIGNAL;
            case WAIT_CHILDREN -> DefinitionView.Kind.AWAIT_CHILDREN;
            case CALL -> DefinitionView.Kind.CALL;
        };
    }
}

package io.durableops.core.admin;

import io.durableops.core.Flow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A registered definition as operators see it: each registered version (oldest first) with its steps in declaration
 * order and the edges between them as declared. Obtain it from {@link OperationAdmin#describe(String)}. An action may
 * also name its next step at run time ({@code ctx.goTo}); such a move has no declared edge.
 */
public record DefinitionView(String name, List<Version> versions) {
    public DefinitionView {
        versions = List.copyOf(versions);
    }

    /** The version new operations start on. */
    public Version latest() {
        return versions.get(versions.size() - 1);
    }

    /** {@code version}, if it is registered. */
    public Optional<Version> version(int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst();
    }

    /** One version: its first step and its steps in declaration order. */
    public record Version(int version, String start, List<Step> steps) {
        public Version {
            steps = List.copyOf(steps);
        }

        public Optional<Step> step(String name) {
            return steps.stream().filter(s -> s.name().equals(name)).findFirst();
        }
    }

    /**
     * One step. {@code signal}: the signal an {@link Kind#AWAIT_SIGNAL} waits for; {@code calls}: the definition a
     * {@link Kind#CALL} starts; {@code waitTimeout}: how long a wait waits at most (empty: for ever); {@code delay}:
     * how long after the previous step it runs; {@code maxTries}: the tries its retry policy allows.
     */
    public record Step(String name, String branch, Kind kind, List<Edge> edges, Optional<String> signal,
                       Optional<String> calls, Optional<Duration> waitTimeout, Duration delay, int maxTries) {
        public Step {
            edges = List.copyOf(edges);
        }

        /** Whether the step waits (for a condition, a signal, children or a called definition). */
        public boolean isWait() {
            return kind == Kind.WAIT_UNTIL || kind == Kind.AWAIT_SIGNAL || kind == Kind.AWAIT_CHILDREN || kind == Kind.CALL;
        }
    }

    /** The kinds of step, as declared on {@link Flow}. */
    public enum Kind { ACTION, DECISION, RESULT, FAILURE, WAIT_UNTIL, AWAIT_SIGNAL, AWAIT_CHILDREN, CALL }

    /** A declared move from a step to {@code target}, and when it is taken. */
    public record Edge(String target, When when) {
    }

    /**
     * When an edge is taken: {@code NEXT} when the step is done (its {@code then(...)} or the next step of its
     * branch), {@code IF_TRUE} / {@code IF_FALSE} by a decision, {@code ON_TIMEOUT} when a wait times out,
     * {@code ON_CHILD_FAILURE} when a child fails.
     */
    public enum When { NEXT, IF_TRUE, IF_FALSE, ON_TIMEOUT, ON_CHILD_FAILURE }
}

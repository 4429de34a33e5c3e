package io.durableops.core.internal.flow;

import io.durableops.core.Action;
import io.durableops.core.Condition;
import io.durableops.core.DefinitionException;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.ResultHandler;
import io.durableops.core.StepOptions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Collects a definition's steps and checks them as a whole. */
public final class FlowBuilder implements Flow {
    private final String definition;
    private final Set<String> required = new LinkedHashSet<>();
    private final List<StepDef> declared = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private String start;
    private String branch = MAIN;

    private FlowBuilder(String definition) {
        this.definition = definition;
    }

    /** Runs {@code definition.define(...)} and validates the result. */
    public static CompiledDefinition compile(OperationDefinition definition) {
        String name = definition.name();
        if (name == null || name.isBlank()) {
            throw new DefinitionException(String.valueOf(name), List.of(definition.getClass().getName() + ".name() is blank"));
        }
        FlowBuilder flow = new FlowBuilder(name);
        try {
            definition.define(flow);
        } catch (RuntimeException e) {
            if (e instanceof DefinitionException) throw e;
            throw new DefinitionException(name, List.of("define(Flow) threw " + e));
        }
        return flow.build(definition.version());
    }

    @Override
    public Flow requires(String... inputs) {
        for (String input : inputs) {
            if (input == null || input.isBlank()) problems.add("requires(...) was given a blank input name");
            else required.add(input);
        }
        return this;
    }

    @Override
    public Flow startsWith(String step) {
        this.start = step;
        return this;
    }

    @Override
    public Flow branch(String branch) {
        if (branch == null || branch.isBlank()) problems.add("branch(...) was given a blank name");
        else this.branch = branch;
        return this;
    }

    @Override
    public Flow action(String name, Action action, StepOptions options) {
        return add(new StepDef(name, branch, StepDef.Kind.ACTION, Objects.requireNonNull(action, "action"), null, null, null,
                null, null, Objects.requireNonNull(options, "options"), options.next()));
    }

    @Override
    public Flow decision(String name, Condition condition, String ifTrue, String ifFalse, StepOptions options) {
        if (options.next() != null) problems.add("decision '" + name + "' has StepOptions.then(...); a decision goes to ifTrue or ifFalse");
        return add(new StepDef(name, branch, StepDef.Kind.DECISION, null, Objects.requireNonNull(condition, "condition"),
                ifTrue, ifFalse, null, null, options, null));
    }

    @Override
    public Flow result(String name, ResultHandler handler, StepOptions options) {
        if (options.next() != null) problems.add("result '" + name + "' has StepOptions.then(...); a result ends the operation");
        return add(new StepDef(name, branch, StepDef.Kind.RESULT, null, null, null, null,
                Objects.requireNonNull(handler, "handler"), null, options, null));
    }

    @Override
    public Flow failure(String name, String reason) {
        if (reason == null || reason.isBlank()) problems.add("failure '" + name + "' needs a reason");
        return add(new StepDef(name, branch, StepDef.Kind.FAILURE, null, null, null, null, null, reason,
                StepOptions.defaults().andRetry(io.durableops.core.RetryPolicy.none()), null));
    }

    private Flow add(StepDef step) {
        if (step.name() == null || step.name().isBlank()) problems.add("a " + step.kind().name().toLowerCase() + " step has a blank name");
        else if (step.name().length() > 200) problems.add("step name '" + step.name() + "' is longer than 200 characters");
        declared.add(step);
        return this;
    }

    private CompiledDefinition build(int version) {
        if (version < 1) problems.add("version() must be at least 1, was " + version);
        if (definition.length() > 200) problems.add("the name is longer than 200 characters");
        Map<String, StepDef> steps = new LinkedHashMap<>();
        Map<String, List<String>> branches = new LinkedHashMap<>();
        for (StepDef step : declared) {
            if (step.name() == null || step.name().isBlank()) continue;
            if (steps.containsKey(step.name())) {
                problems.add("step '" + step.name() + "' is declared twice (in branch '" + steps.get(step.name()).branch()
                        + "' and in branch '" + step.branch() + "'); step names must be unique");
                continue;
            }
            steps.put(step.name(), step);
            branches.computeIfAbsent(step.branch(), b -> new ArrayList<>()).add(step.name());
        }
        if (steps.isEmpty()) {
            problems.add("it declares no steps");
            throw new DefinitionException(definition, problems);
        }
        // fall-through: an action without an explicit target continues with the next step of its branch
        for (List<String> names : branches.values()) {
            for (int i = 0; i < names.size(); i++) {
                StepDef step = steps.get(names.get(i));
                if (step.kind() != StepDef.Kind.ACTION || step.next() != null) continue;
                if (i + 1 < names.size()) {
                    steps.put(step.name(), step.withNext(names.get(i + 1)));
                } else {
                    problems.add("action '" + step.name() + "' is the last step of branch '" + step.branch()
                            + "' and names no next step; give it StepOptions.then(\"...\") or end the branch with a result");
                }
            }
        }
        String first = start != null ? start : branches.containsKey(MAIN) ? branches.get(MAIN).get(0) : declared.get(0).name();
        Set<String> known = steps.keySet();
        checkTarget(first, "startsWith(...)", known);
        Map<String, List<String>> edges = new HashMap<>();
        for (StepDef step : steps.values()) {
            List<String> targets = switch (step.kind()) {
                case ACTION -> step.next() == null ? List.of() : List.of(step.next());
                case DECISION -> List.of(String.valueOf(step.ifTrue()), String.valueOf(step.ifFalse()));
                case RESULT, FAILURE -> List.of();
            };
            for (String target : targets) checkTarget(target, step.kind().name().toLowerCase() + " '" + step.name() + "'", known);
            edges.put(step.name(), targets);
        }
        if (problems.isEmpty()) checkEveryStepCanEnd(steps, edges);
        if (!problems.isEmpty()) throw new DefinitionException(definition, problems);
        return new CompiledDefinition(definition, version, Collections.unmodifiableSet(required), first,
                Collections.unmodifiableMap(steps), Collections.unmodifiableMap(branches));
    }

    private void checkTarget(String target, String source, Set<String> known) {
        if (!known.contains(target)) {
            problems.add(source + " names step '" + target + "', which does not exist; known steps: " + String.join(", ", known));
        }
    }

    /** Walks the edges backwards from every terminal step; a step never reached can reach no result. */
    private void checkEveryStepCanEnd(Map<String, StepDef> steps, Map<String, List<String>> edges) {
        Map<String, List<String>> reverse = new HashMap<>();
        edges.forEach((from, targets) -> targets.forEach(to -> reverse.computeIfAbsent(to, k -> new ArrayList<>()).add(from)));
        Set<String> canEnd = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        steps.values().stream().filter(StepDef::isTerminal).forEach(s -> {
            canEnd.add(s.name());
            queue.add(s.name());
        });
        while (!queue.isEmpty()) {
            for (String from : reverse.getOrDefault(queue.poll(), List.of())) {
                if (canEnd.add(from)) queue.add(from);
            }
        }
        for (String name : steps.keySet()) {
            if (!canEnd.contains(name)) {
                problems.add("step '" + name + "' can reach no result or failure step: every path from it loops or stops");
            }
        }
    }
}

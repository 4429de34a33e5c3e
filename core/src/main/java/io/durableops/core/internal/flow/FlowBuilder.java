package io.durableops.core.internal.flow;

import io.durableops.core.internal.Limits;
import io.durableops.core.Action;
import io.durableops.core.ChildInput;
import io.durableops.core.FastPath;
import io.durableops.core.OperationStatus;
import io.durableops.core.WaitOptions;
import io.durableops.core.Condition;
import io.durableops.core.DefinitionException;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.ResultHandler;
import io.durableops.core.StepOptions;

import java.time.Duration;
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
    private final Set<String> searchAttributes = new LinkedHashSet<>();
    private String start;
    private String branch = MAIN;
    private Duration timeout;
    private OperationStatus onExpiry = OperationStatus.EXPIRED;
    private FastPath fastPath;
    private final List<io.durableops.core.Limit> limits = new ArrayList<>();
    private int priority;

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
            DefinitionException failure = new DefinitionException(name, List.of("define(Flow) threw " + e));
            failure.initCause(e);
            throw failure;
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
        Objects.requireNonNull(options, "options");
        return add(StepDef.of(name, branch, StepDef.Kind.ACTION, options).withAction(Objects.requireNonNull(action, "action")).withNext(options.next()));
    }

    @Override
    public Flow decision(String name, Condition condition, String ifTrue, String ifFalse, StepOptions options) {
        if (options.next() != null) problems.add("decision '" + name + "' has StepOptions.then(...); a decision goes to ifTrue or ifFalse");
        return add(StepDef.of(name, branch, StepDef.Kind.DECISION, options).withDecision(Objects.requireNonNull(condition, "condition"), ifTrue, ifFalse));
    }

    @Override
    public Flow result(String name, ResultHandler handler, StepOptions options) {
        if (options.next() != null) problems.add("result '" + name + "' has StepOptions.then(...); a result ends the operation");
        return add(StepDef.of(name, branch, StepDef.Kind.RESULT, options).withResult(Objects.requireNonNull(handler, "handler")));
    }

    @Override
    public Flow failure(String name, String reason) {
        if (reason == null || reason.isBlank()) problems.add("failure '" + name + "' needs a reason");
        else if (reason.length() > Limits.REASON) {
            problems.add("failure '" + name + "' has a reason of " + reason.length() + " characters; at most " + Limits.REASON + " are stored");
        }
        return add(StepDef.of(name, branch, StepDef.Kind.FAILURE, StepOptions.defaults().andRetry(io.durableops.core.RetryPolicy.none())).withFailure(reason));
    }

    @Override
    public Flow waitUntil(String name, Condition condition, WaitOptions options) {
        return waitStep(name, StepDef.Kind.WAIT_CONDITION, options, Objects.requireNonNull(condition, "condition"), null, null, null);
    }

    @Override
    public Flow awaitSignal(String name, String signal, WaitOptions options) {
        if (signal == null || signal.isBlank() || signal.length() > 200) problems.add("awaitSignal '" + name + "' needs a signal name of 1 to 200 characters");
        return waitStep(name, StepDef.Kind.WAIT_SIGNAL, options, null, signal, null, null);
    }

    @Override
    public Flow awaitChildren(String name, WaitOptions options) {
        return waitStep(name, StepDef.Kind.WAIT_CHILDREN, options, null, null, null, null);
    }

    @Override
    public Flow call(String name, String definition, ChildInput input, WaitOptions options) {
        if (definition == null || definition.isBlank()) problems.add("call '" + name + "' needs the name of the definition it calls");
        return waitStep(name, StepDef.Kind.CALL, options, null, null, definition, Objects.requireNonNull(input, "input"));
    }

    private Flow waitStep(String name, StepDef.Kind kind, WaitOptions options, Condition condition, String signal, String child, ChildInput input) {
        Objects.requireNonNull(options, "options");
        if (kind != StepDef.Kind.WAIT_CHILDREN && kind != StepDef.Kind.CALL && options.childFailureStep() != null) {
            problems.add("wait '" + name + "' sets onChildFailure(...) but waits for no children");
        }
        return add(StepDef.of(name, branch, kind, StepOptions.defaults()).withWait(options, condition, signal, child, input));
    }

    @Override
    public Flow fastPath(FastPath fastPath) {
        this.fastPath = Objects.requireNonNull(fastPath, "fastPath");
        return this;
    }

    @Override
    public Flow limit(io.durableops.core.Limit limit) {
        Objects.requireNonNull(limit, "limit");
        for (io.durableops.core.Limit held : limits) {
            if (held.kind() == limit.kind()) problems.add("limit(" + limit + ") repeats a limit of the same kind as limit(" + held + ")");
        }
        limits.add(limit);
        if (limit.kind() == io.durableops.core.Limit.Kind.PER_KEY) required.add(limit.keyInput());
        return this;
    }

    @Override
    public Flow priority(int priority) {
        if (priority < -1000 || priority > 1000) problems.add("priority(...) must be -1000 to 1000, was " + priority);
        this.priority = priority;
        return this;
    }

    @Override
    public Flow searchAttributes(String... globals) {
        for (String global : globals) {
            if (global == null || global.isBlank() || global.length() > 100) problems.add("a search attribute name must be 1 to 100 characters");
            else searchAttributes.add(global);
        }
        return this;
    }

    @Override
    public Flow timeout(Duration timeout, OperationStatus onExpiry) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) problems.add("timeout(...) must be positive, was " + timeout);
        else if (!Limits.fitsAhead(timeout)) problems.add("timeout(...) must be at most 1000 years (" + FAR + "), was " + timeout);
        if (onExpiry != OperationStatus.EXPIRED && onExpiry != OperationStatus.FAILED) problems.add("timeout(...) ends an operation as EXPIRED or FAILED, not " + onExpiry);
        this.timeout = timeout;
        this.onExpiry = onExpiry;
        return this;
    }

    /** How the limit of every declared duration reads in a problem. */
    private static final String FAR = "a time that far ahead could not be stored";

    private Flow add(StepDef step) {
        if (step.name() == null || step.name().isBlank()) problems.add("a step (" + step.kind().label() + ") has a blank name");
        else if (step.name().length() > 200) problems.add("step name '" + step.name() + "' is longer than 200 characters");
        StepOptions options = step.options();
        if (!Limits.fitsAhead(options.startDelay())) {
            problems.add("step '" + step.name() + "' has a delay of " + options.startDelay() + "; at most 1000 years (" + FAR + ")");
        }
        if (options.stepTimeout() != null && !Limits.fitsAhead(options.stepTimeout())) {
            problems.add("step '" + step.name() + "' has a timeout of " + options.stepTimeout() + "; at most 1000 years (" + FAR + ")");
        }
        WaitOptions wait = step.waitOptions();
        if (wait != null && wait.waitTimeout() != null && !Limits.fitsAhead(wait.waitTimeout())) {
            problems.add("wait '" + step.name() + "' has a timeout of " + wait.waitTimeout() + "; at most 1000 years (" + FAR + ")");
        }
        if (wait != null && !Limits.fitsAhead(wait.recheckEvery())) {
            problems.add("wait '" + step.name() + "' re-checks every " + wait.recheckEvery() + "; at most 1000 years (" + FAR + ")");
        }
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
                if (!step.kind().fallsThrough() || step.next() != null) continue;
                if (i + 1 < names.size()) {
                    steps.put(step.name(), step.withNext(names.get(i + 1)));
                } else {
                    problems.add(step.kind().label() + " '" + step.name() + "' is the last step of branch '" + step.branch()
                            + "' and names no next step; give it StepOptions.then(\"...\") or end the branch with a result");
                }
            }
        }
        String first = start != null ? start : branches.containsKey(MAIN) ? branches.get(MAIN).get(0) : declared.get(0).name();
        Set<String> known = steps.keySet();
        checkTarget(first, "startsWith(...)", known);
        Map<String, List<String>> edges = new HashMap<>();
        for (StepDef step : steps.values()) {
            List<String> targets = step.targets();
            for (String target : targets) checkTarget(target, step.kind().label() + " '" + step.name() + "'", known);
            edges.put(step.name(), targets);
        }
        if (problems.isEmpty()) checkEveryStepCanEnd(steps, edges);
        if (!problems.isEmpty()) throw new DefinitionException(definition, problems);
        return new CompiledDefinition(definition, version, Collections.unmodifiableSet(required), first,
                Collections.unmodifiableMap(steps), Collections.unmodifiableMap(branches),
                Collections.unmodifiableSet(searchAttributes), timeout, onExpiry, fastPath, List.copyOf(limits), priority);
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

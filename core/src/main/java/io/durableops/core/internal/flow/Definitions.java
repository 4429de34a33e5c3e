package io.durableops.core.internal.flow;

import io.durableops.core.ConfigurationException;
import io.durableops.core.OperationDefinition;
import io.durableops.core.UnknownDefinitionException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registered definitions by name and version; frozen once the runtime is built. Several versions of one name may
 * be registered side by side (the old one until its operations drain): new operations start on the latest, and an
 * operation runs a step on its own version if that has the step, else on the latest version that has it.
 */
public final class Definitions {
    /** Each name's versions, oldest first. */
    private final Map<String, TreeMap<Integer, CompiledDefinition>> byName;

    public Definitions(Collection<OperationDefinition> definitions) {
        Map<String, TreeMap<Integer, CompiledDefinition>> compiled = new LinkedHashMap<>();
        for (OperationDefinition definition : definitions) {
            CompiledDefinition c = FlowBuilder.compile(definition);
            TreeMap<Integer, CompiledDefinition> versions = compiled.computeIfAbsent(c.name(), n -> new TreeMap<>());
            if (versions.containsKey(c.version())) {
                throw new ConfigurationException("two definitions are registered as '" + c.name() + "' version " + c.version()
                        + "; a name and version must be unique (register a new version with a higher version())");
            }
            versions.put(c.version(), c);
        }
        List<String> unknown = new ArrayList<>();
        for (TreeMap<Integer, CompiledDefinition> versions : compiled.values()) {
            for (CompiledDefinition c : versions.values()) {
                for (StepDef step : c.steps().values()) {
                    if (step.kind() == StepDef.Kind.CALL && !compiled.containsKey(step.childDefinition())) {
                        unknown.add("'" + c.name() + "' step '" + step.name() + "' calls '" + step.childDefinition() + "'");
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("definitions call definitions that are not registered (registered: "
                    + compiled.keySet() + "): " + String.join("; ", unknown) + "; register them too");
        }
        this.byName = Collections.unmodifiableMap(compiled);
    }

    /** The latest version of {@code name}, if registered. */
    public Optional<CompiledDefinition> find(String name) {
        TreeMap<Integer, CompiledDefinition> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** The latest version of {@code name}, the one new operations start on. */
    public CompiledDefinition get(String name) {
        return find(name).orElseThrow(() -> new UnknownDefinitionException(name, byName.keySet()));
    }

    /** {@code name} at exactly {@code version}, if registered. */
    public Optional<CompiledDefinition> find(String name, int version) {
        TreeMap<Integer, CompiledDefinition> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /**
     * The definition a step of an operation started on {@code version} runs with here, by the rule of {@link Versions};
     * empty if this node cannot run it.
     */
    public Optional<CompiledDefinition> resolve(String name, int version, String step) {
        TreeMap<Integer, CompiledDefinition> versions = byName.get(name);
        if (versions == null) return Optional.empty();
        return Versions.pick(stepsByVersion(name), version, step).map(versions::get);
    }

    /** Each registered version of {@code name} with its step names (empty if none). */
    public java.util.NavigableMap<Integer, Set<String>> stepsByVersion(String name) {
        TreeMap<Integer, Set<String>> steps = new TreeMap<>();
        TreeMap<Integer, CompiledDefinition> versions = byName.get(name);
        if (versions != null) versions.forEach((v, c) -> steps.put(v, c.steps().keySet()));
        return steps;
    }

    /** The registered names. */
    public Collection<String> names() {
        return byName.keySet();
    }

    /** The registered versions of {@code name}, oldest first (empty if none). */
    public Set<Integer> versions(String name) {
        TreeMap<Integer, CompiledDefinition> versions = byName.get(name);
        return versions == null ? Set.of() : Collections.unmodifiableSet(versions.keySet());
    }

    /** Every step name of any registered version of {@code name}, in declaration order of the latest first. */
    public Set<String> steps(String name) {
        TreeMap<Integer, CompiledDefinition> versions = byName.get(name);
        Set<String> steps = new LinkedHashSet<>();
        if (versions != null) versions.descendingMap().values().forEach(c -> steps.addAll(c.steps().keySet()));
        return steps;
    }
}

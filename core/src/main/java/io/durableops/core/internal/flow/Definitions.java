package io.durableops.core.internal.flow;

import io.durableops.core.ConfigurationException;
import io.durableops.core.OperationDefinition;
import io.durableops.core.UnknownDefinitionException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The registered definitions by name; frozen once the runtime is built. */
public final class Definitions {
    private final Map<String, CompiledDefinition> byName;

    public Definitions(Collection<OperationDefinition> definitions) {
        Map<String, CompiledDefinition> compiled = new LinkedHashMap<>();
        for (OperationDefinition definition : definitions) {
            CompiledDefinition c = FlowBuilder.compile(definition);
            if (compiled.containsKey(c.name())) {
                throw new ConfigurationException("two definitions are registered as '" + c.name() + "'; names must be unique");
            }
            compiled.put(c.name(), c);
        }
        java.util.List<String> unknown = new java.util.ArrayList<>();
        for (CompiledDefinition c : compiled.values()) {
            for (StepDef step : c.steps().values()) {
                if (step.kind() == StepDef.Kind.CALL && !compiled.containsKey(step.childDefinition())) {
                    unknown.add("'" + c.name() + "' step '" + step.name() + "' calls '" + step.childDefinition() + "'");
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("definitions call definitions that are not registered (registered: "
                    + compiled.keySet() + "): " + String.join("; ", unknown) + "; register them too");
        }
        this.byName = Map.copyOf(compiled);
    }

    public Optional<CompiledDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public CompiledDefinition get(String name) {
        CompiledDefinition definition = byName.get(name);
        if (definition == null) throw new UnknownDefinitionException(name, byName.keySet());
        return definition;
    }

    public Collection<String> names() {
        return byName.keySet();
    }
}

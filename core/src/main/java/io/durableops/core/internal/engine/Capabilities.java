package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.flow.Versions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one node can run, or each node of a cluster: per definition, its versions and their steps. A node runs a step of
 * an operation by the rule of {@link Versions}. A node's capabilities are stored with its heartbeat as JSON (names
 * only, no user data).
 */
final class Capabilities {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per node: per definition, per version, its steps. */
    private final List<Map<String, NavigableMap<Integer, Set<String>>>> nodes;

    private Capabilities(List<Map<String, NavigableMap<Integer, Set<String>>>> nodes) {
        this.nodes = nodes;
    }

    static Capabilities of(Definitions definitions) {
        Map<String, NavigableMap<Integer, Set<String>>> map = new TreeMap<>();
        for (String name : definitions.names()) map.put(name, definitions.stepsByVersion(name));
        return new Capabilities(List.of(map));
    }

    static Capabilities none() {
        return new Capabilities(List.of());
    }

    /** The nodes of all of {@code each}: a step is runnable if one of them can run it. */
    static Capabilities cluster(Collection<Capabilities> each) {
        List<Map<String, NavigableMap<Integer, Set<String>>>> all = new ArrayList<>();
        each.forEach(c -> all.addAll(c.nodes));
        return new Capabilities(all);
    }

    /** Whether some node can run {@code step} of an operation of {@code definition} on {@code version}. */
    boolean canRun(String definition, int version, String step) {
        for (Map<String, NavigableMap<Integer, Set<String>>> node : nodes) {
            if (Versions.pick(node.get(definition), version, step).isPresent()) return true;
        }
        return false;
    }

    /**
     * Why no node can run {@code step} of an operation of {@code definition} on {@code version}: a PAUSED operation's
     * reason, naming the definition, both versions, the missing step and the known steps.
     */
    String whyNot(String definition, int version, String step) {
        Set<Integer> versions = new TreeSet<>();
        Set<String> steps = new LinkedHashSet<>();
        Set<String> definitions = new TreeSet<>();
        for (Map<String, NavigableMap<Integer, Set<String>>> node : nodes) {
            definitions.addAll(node.keySet());
            NavigableMap<Integer, Set<String>> d = node.get(definition);
            if (d == null) continue;
            versions.addAll(d.keySet());
            d.descendingMap().values().forEach(steps::addAll);
        }
        if (versions.isEmpty()) {
            return "no running node has definition '" + definition + "' (the operation runs version " + version + ", at step '" + step
                    + "'); running nodes have: " + (definitions.isEmpty() ? "none" : String.join(", ", definitions));
        }
        return "no running node has step '" + step + "' of definition '" + definition + "' for the operation's version: it runs version "
                + version + ", running nodes have version " + (versions.size() == 1 ? versions.iterator().next().toString() : versions.toString())
                + " with steps " + String.join(", ", steps);
    }

    /** This node's capabilities as JSON: {@code {"definition": {"1": ["step", ...], ...}, ...}}. */
    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!nodes.isEmpty()) {
            nodes.get(0).forEach((name, versions) -> {
                ObjectNode node = root.putObject(name);
                versions.forEach((v, steps) -> steps.forEach(node.putArray(String.valueOf(v))::add));
            });
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a node's capabilities", e);
        }
    }

    /** A node's capabilities as {@link #toJson} wrote them; none for a row it cannot read (a node of a future build). */
    static Capabilities fromJson(byte[] json) {
        if (json == null) return none();
        try {
            JsonNode root = JSON.readTree(json);
            Map<String, NavigableMap<Integer, Set<String>>> map = new TreeMap<>();
            root.fields().forEachRemaining(definition -> {
                NavigableMap<Integer, Set<String>> versions = new TreeMap<>();
                definition.getValue().fields().forEachRemaining(version -> {
                    Set<String> steps = new LinkedHashSet<>();
                    version.getValue().forEach(s -> steps.add(s.asText()));
                    versions.put(Integer.parseInt(version.getKey()), steps);
                });
                map.put(definition.getKey(), versions);
            });
            return new Capabilities(List.of(map));
        } catch (IOException | RuntimeException e) {
            return none();
        }
    }
}

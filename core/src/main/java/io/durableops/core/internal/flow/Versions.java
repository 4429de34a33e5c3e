package io.durableops.core.internal.flow;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * Which registered version of a definition runs a step of an operation started on another, or the same, version: one
 * rule for the node that runs it ({@link Definitions#resolve}), the cluster that routes it and the pre-deploy check.
 * <ul>
 *   <li>its own version, if registered and it has the step;</li>
 *   <li>else, unless the operation's version is newer than every registered one, the latest registered version that
 *       has the step: an old version that was dropped after a compatible change, say;</li>
 *   <li>never an older version for an operation of a newer one: a node of the old build, in a rolling deploy, leaves
 *       the new build's operations to the nodes that have it, as their flow may differ anywhere.</li>
 * </ul>
 */
public final class Versions {
    private Versions() {
    }

    /** The version that runs {@code step} of an operation on {@code version}, given each registered version's steps. */
    public static Optional<Integer> pick(NavigableMap<Integer, ? extends Set<String>> stepsByVersion, int version, String step) {
        if (stepsByVersion == null || stepsByVersion.isEmpty()) return Optional.empty();
        Set<String> own = stepsByVersion.get(version);
        if (own != null && own.contains(step)) return Optional.of(version);
        if (own == null && version > stepsByVersion.lastKey()) return Optional.empty();
        for (Map.Entry<Integer, ? extends Set<String>> e : stepsByVersion.descendingMap().entrySet()) {
            if (e.getValue().contains(step)) return Optional.of(e.getKey());
        }
        return Optional.empty();
    }
}

package io.durableops.admin.internal;

import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.DefinitionView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A version's steps laid out as a graph for an inline SVG (drawn by {@code graph.peb}, so every text is escaped by
 * the template): one node per step, one row per step in declaration order and one column per branch, and the declared
 * edges as paths. With an operation's attempts it marks the path it took: the steps it visited, the one it is at or
 * failed at, and each move between two visits (a move no edge declares, a {@code goTo} or an operator's retry from a
 * step, is drawn as its own dashed edge).
 */
final class StepGraph {
    static final int NODE_W = 190;
    static final int NODE_H = 34;
    static final int ROW = 54;
    static final int COLUMN = 250;
    static final int MARGIN = 24;
    /** The longest step name shown whole in a node; the full name is in its tooltip. */
    static final int LABEL = 24;

    private StepGraph() {
    }

    /** The graph of {@code version}; {@code id} makes its element ids unique on a page. */
    static Map<String, Object> of(String id, DefinitionView.Version version) {
        return of(id, version, null, List.of());
    }

    /** The graph of {@code version} with the path of an operation at {@code currentStep} in {@code status}. */
    static Map<String, Object> of(String id, DefinitionView.Version version, OperationStatus status, List<AttemptView> attempts) {
        Map<String, int[]> at = new HashMap<>();
        List<String> branches = new ArrayList<>();
        int row = 0;
        for (DefinitionView.Step s : version.steps()) {
            if (!branches.contains(s.branch())) branches.add(s.branch());
            at.put(s.name(), new int[] {row++, branches.indexOf(s.branch())});
        }
        Map<String, String> state = states(attempts, status);
        Set<String> taken = new LinkedHashSet<>();
        for (int i = 1; i < attempts.size(); i++) taken.add(attempts.get(i - 1).step() + "\n" + attempts.get(i).step());

        List<Map<String, Object>> nodes = new ArrayList<>();
        for (DefinitionView.Step s : version.steps()) {
            int[] p = at.get(s.name());
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", s.name());
            n.put("label", s.name().length() > LABEL ? s.name().substring(0, LABEL - 1) + "…" : s.name());
            n.put("kind", kind(s.kind()));
            n.put("kindLabel", kindLabel(s));
            n.put("state", state.getOrDefault(s.name(), "none"));
            n.put("start", s.name().equals(version.start()));
            n.put("x", x(p[1]));
            n.put("y", y(p[0]));
            n.put("cx", x(p[1]) + NODE_W / 2);
            n.put("ty", y(p[0]) + NODE_H / 2 + 5);
            nodes.add(n);
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (DefinitionView.Step s : version.steps()) {
            for (DefinitionView.Edge e : s.edges()) {
                if (!at.containsKey(e.target())) continue;
                String key = s.name() + "\n" + e.target();
                edges.add(edge(at.get(s.name()), at.get(e.target()), label(e.when()), taken.contains(key), false, edges.size()));
                declared.add(key);
            }
        }
        for (String move : taken) {
            if (declared.contains(move)) continue;
            String[] ends = move.split("\n", 2);
            if (!at.containsKey(ends[0]) || !at.containsKey(ends[1]) || ends[0].equals(ends[1])) continue;
            edges.add(edge(at.get(ends[0]), at.get(ends[1]), "moved", true, true, edges.size()));
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", id);
        g.put("nodes", nodes);
        g.put("edges", edges);
        g.put("width", MARGIN * 2 + (branches.size() - 1) * COLUMN + NODE_W + 80);
        g.put("height", MARGIN * 2 + (version.steps().size() - 1) * ROW + NODE_H);
        g.put("version", version.version());
        return g;
    }

    /**
     * Each visited step's state: {@code visited} (it ran), {@code current} (the operation is at it and running),
     * {@code failed} (it failed there), or {@code ended} (expired or cancelled there).
     */
    private static Map<String, String> states(List<AttemptView> attempts, OperationStatus status) {
        Map<String, String> state = new HashMap<>();
        for (AttemptView a : attempts) state.put(a.step(), "visited");
        if (attempts.isEmpty() || status == null) return state;
        AttemptView last = attempts.get(attempts.size() - 1);
        switch (status) {
            case RUNNING, PAUSED -> state.put(last.step(), "current");
            case FAILED -> state.put(last.step(), "failed");
            case EXPIRED, CANCELLED -> state.put(last.step(), last.status() == AttemptStatus.SUCCEEDED ? "visited" : "ended");
            default -> {
            }
        }
        return state;
    }

    private static Map<String, Object> edge(int[] from, int[] to, String label, boolean taken, boolean moved, int index) {
        int fx = x(from[1]), fy = y(from[0]), tx = x(to[1]), ty = y(to[0]);
        String d;
        int lx, ly;
        if (from[1] == to[1] && to[0] == from[0] + 1) {
            d = path("M", fx + NODE_W / 2, fy + NODE_H, "L", tx + NODE_W / 2, ty - 2);
            lx = fx + NODE_W / 2 + 6;
            ly = fy + NODE_H + (ROW - NODE_H) / 2 + 4;
        } else if (from[1] == to[1]) {
            // same column, not adjacent: forward moves bulge right, backward ones left, further for longer spans
            boolean forward = to[0] > from[0];
            int side = forward ? fx + NODE_W : fx;
            int bulge = (forward ? 1 : -1) * (28 + 10 * Math.min(6, Math.abs(to[0] - from[0])) + 6 * (index % 3));
            d = path("M", side, fy + NODE_H / 2, "C", side + bulge, fy + NODE_H / 2) + " " + (side + bulge) + " " + (ty + NODE_H / 2)
                    + ", " + (side + (forward ? 4 : -4)) + " " + (ty + NODE_H / 2);
            lx = side + bulge + (forward ? 4 : -4);
            ly = (fy + ty) / 2 + NODE_H / 2;
        } else {
            boolean right = to[1] > from[1];
            int sx = right ? fx + NODE_W : fx, ex = right ? tx - 2 : tx + NODE_W + 2;
            int mid = (sx + ex) / 2;
            d = path("M", sx, fy + NODE_H / 2, "C", mid, fy + NODE_H / 2) + " " + mid + " " + (ty + NODE_H / 2) + ", " + ex + " " + (ty + NODE_H / 2);
            lx = mid;
            ly = (fy + ty) / 2 + NODE_H / 2 - 4;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("d", d);
        e.put("label", label);
        e.put("lx", lx);
        e.put("ly", ly);
        e.put("taken", taken);
        e.put("moved", moved);
        e.put("anchor", lx < fx ? "end" : "start");
        return e;
    }

    private static String path(String m, int x1, int y1, String op, int x2, int y2) {
        return m + " " + x1 + " " + y1 + " " + op + " " + x2 + " " + y2;
    }

    private static int x(int column) {
        return MARGIN + 40 + column * COLUMN;
    }

    private static int y(int row) {
        return MARGIN + row * ROW;
    }

    private static String label(DefinitionView.When when) {
        return switch (when) {
            case NEXT -> "";
            case IF_TRUE -> "yes";
            case IF_FALSE -> "no";
            case ON_TIMEOUT -> "timeout";
            case ON_CHILD_FAILURE -> "child failed";
        };
    }

    static String kind(DefinitionView.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** What a node's tooltip says of its step besides its name. */
    static String kindLabel(DefinitionView.Step s) {
        String base = switch (s.kind()) {
            case ACTION -> "action";
            case DECISION -> "decision";
            case RESULT -> "result";
            case FAILURE -> "failure";
            case WAIT_UNTIL -> "waits until a condition holds";
            case AWAIT_SIGNAL -> "waits for signal " + s.signal().orElse("?");
            case AWAIT_CHILDREN -> "waits for its children";
            case CALL -> "calls " + s.calls().orElse("?");
        };
        if (s.waitTimeout().isPresent()) base += ", times out after " + Durations.text(s.waitTimeout().get());
        if (!s.delay().isZero()) base += ", runs " + Durations.text(s.delay()) + " after the previous step";
        if (s.maxTries() > 1) base += ", up to " + s.maxTries() + " tries";
        return base;
    }
}

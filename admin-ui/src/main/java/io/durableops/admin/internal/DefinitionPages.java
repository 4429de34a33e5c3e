package io.durableops.admin.internal;

import io.durableops.core.OperationStatus;
import io.durableops.core.admin.DefinitionView;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.StepCount;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The definitions page and {@code GET /api/definitions}: each registered definition, its versions with their steps as
 * a graph, and how many operations are at each step in each status (one grouped query for all of them), each count a
 * link to the list filtered by definition, version, step and status.
 */
final class DefinitionPages {
    private final Settings settings;
    private final Render render;

    DefinitionPages(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
    }

    void page(Context ctx, Guard.Caller caller) {
        Map<String, Object> model = render.model(ctx, caller, "Definitions");
        render.live(model);
        Map<String, Map<Integer, Map<String, Map<OperationStatus, Long>>>> counts = counts();
        List<Map<String, Object>> definitions = new ArrayList<>();
        int graphs = 0;
        for (String name : settings.admin().definitions()) {
            DefinitionView view = settings.admin().describe(name).orElse(null);
            if (view == null) continue;
            Map<Integer, Map<String, Map<OperationStatus, Long>>> byVersion = counts.getOrDefault(name, Map.of());
            List<Map<String, Object>> versions = new ArrayList<>();
            for (DefinitionView.Version v : view.versions()) {
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("version", v.version());
                vm.put("latest", v == view.latest());
                vm.put("graph", StepGraph.of("g" + (++graphs), v));
                vm.put("rows", rows(name, v.version(), v.steps().stream().map(DefinitionView.Step::name).toList(),
                        byVersion.getOrDefault(v.version(), Map.of())));
                versions.add(vm);
            }
            // operations on a version this runtime no longer registers still count, at the steps they are at
            List<Map<String, Object>> others = new ArrayList<>();
            byVersion.forEach((version, steps) -> {
                if (view.version(version).isPresent()) return;
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("version", version);
                vm.put("rows", rows(name, version, List.copyOf(steps.keySet()), steps));
                others.add(vm);
            });
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("name", name);
            dm.put("versions", versions);
            dm.put("unregistered", others);
            dm.put("listUrl", listUrl(OperationQuery.builder().definition(name).build()));
            definitions.add(dm);
        }
        model.put("definitions", definitions);
        model.put("statuses", List.of(OperationStatus.values()).stream().map(Enum::name).toList());
        render.html(ctx, 200, "definitions", model);
    }

    void api(Context ctx, Guard.Caller caller) {
        List<StepCount> counts = settings.admin().stepCounts();
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : settings.admin().definitions()) {
            DefinitionView view = settings.admin().describe(name).orElse(null);
            if (view == null) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", name);
            d.put("steps", settings.admin().steps(name));
            d.put("latestVersion", view.latest().version());
            d.put("versions", view.versions().stream().map(DefinitionPages::version).toList());
            d.put("counts", counts.stream().filter(c -> c.definition().equals(name)).map(c -> ordered("version", c.version(),
                    "step", String.valueOf(c.step()), "status", c.status().name(), "count", c.count())).toList());
            list.add(d);
        }
        ctx.status(200).contentType("application/json").result(Api.write(Map.of("definitions", list)));
    }

    private static Map<String, Object> version(DefinitionView.Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("start", v.start());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (DefinitionView.Step s : v.steps()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("name", s.name());
            sm.put("branch", s.branch());
            sm.put("kind", s.kind().name());
            sm.put("edges", s.edges().stream().map(e -> ordered("target", e.target(), "when", e.when().name())).toList());
            sm.put("signal", s.signal().orElse(null));
            sm.put("calls", s.calls().orElse(null));
            sm.put("waitTimeout", s.waitTimeout().map(Object::toString).orElse(null));
            sm.put("delay", s.delay().toString());
            sm.put("maxTries", s.maxTries());
            steps.add(sm);
        }
        m.put("steps", steps);
        return m;
    }

    /** A JSON object with its fields in the order given. */
    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }

    /** definition → version → step → status → count, from the one grouped query. */
    private Map<String, Map<Integer, Map<String, Map<OperationStatus, Long>>>> counts() {
        Map<String, Map<Integer, Map<String, Map<OperationStatus, Long>>>> all = new LinkedHashMap<>();
        for (StepCount c : settings.admin().stepCounts()) {
            all.computeIfAbsent(c.definition(), k -> new TreeMap<>()).computeIfAbsent(c.version(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(String.valueOf(c.step()), k -> new EnumMap<>(OperationStatus.class)).merge(c.status(), c.count(), Long::sum);
        }
        return all;
    }

    /** One row per step (in declaration order, then any other step operations are at): its count per status. */
    private List<Map<String, Object>> rows(String definition, int version, List<String> steps, Map<String, Map<OperationStatus, Long>> counts) {
        List<String> names = new ArrayList<>(steps);
        counts.keySet().stream().filter(s -> !names.contains(s)).forEach(names::add);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String step : names) {
            Map<OperationStatus, Long> byStatus = counts.getOrDefault(step, Map.of());
            List<Map<String, Object>> cells = new ArrayList<>();
            long total = 0;
            for (OperationStatus status : OperationStatus.values()) {
                long n = byStatus.getOrDefault(status, 0L);
                total += n;
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("status", status.name());
                cell.put("count", n);
                if (n > 0) {
                    cell.put("url", listUrl(OperationQuery.builder().definition(definition).definitionVersion(version)
                            .currentStep(step).statuses(status).build()));
                }
                cells.add(cell);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step);
            row.put("declared", steps.contains(step));
            row.put("cells", cells);
            row.put("total", total);
            rows.add(row);
        }
        return rows;
    }

    private String listUrl(OperationQuery query) {
        String q = Filters.queryString(query, true);
        return settings.basePath() + "/" + (q.isEmpty() ? "" : "?" + q);
    }
}

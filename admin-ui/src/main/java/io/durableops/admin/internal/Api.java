package io.durableops.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.admin.LastError;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.admin.StatusCounts;
import io.durableops.core.OperationView;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON API: the same reads and actions as the pages. Documented in docs/admin-ui.md. */
final class Api {
    private final Settings settings;
    private final Guard guard;
    private final BulkRuns runs;
    private final BulkPages bulkPages;

    Api(Settings settings, Guard guard, BulkRuns runs, BulkPages bulkPages) {
        this.settings = settings;
        this.guard = guard;
        this.runs = runs;
        this.bulkPages = bulkPages;
    }

    void list(Context ctx, Guard.Caller caller) {
        OperationPage page = settings.admin().list(Filters.parse(ctx::queryParams));
        // a message search found its rows by their errors, completed ones included
        List<io.durableops.core.OperationId> stopped = page.items().stream()
                .filter(s -> page.messageScan().isPresent() || s.status() != io.durableops.core.OperationStatus.COMPLETED)
                .map(OperationSummary::id).toList();
        Map<io.durableops.core.OperationId, LastError> errors = stopped.isEmpty() ? Map.of()
                : settings.admin().lastErrors(stopped, caller.user().seesData());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(s -> {
            Map<String, Object> item = Views.summary(s, true);
            LastError e = errors.get(s.id());
            item.put("lastError", e == null ? null : lastError(e));
            return item;
        }).toList());
        body.put("nextCursor", page.nextCursor().orElse(null));
        body.put("messageScan", page.messageScan().map(scan -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scanned", scan.scanned());
            m.put("boundReached", scan.boundReached());
            m.put("timeLimitReached", scan.timeLimitReached());
            m.put("scannedTo", scan.scannedTo().map(Object::toString).orElse(null));
            return m;
        }).orElse(null));
        json(ctx, 200, body);
    }

    void counts(Context ctx, Guard.Caller caller) {
        OperationQuery query = Filters.parse(ctx::queryParams);
        Map<String, Object> body = new LinkedHashMap<>();
        String exact = ctx.queryParam("exact");
        if (exact != null && !exact.equals("true") && !exact.equals("false")) {
            throw new HttpProblem(400, "exact: true (count every matching operation) or false (the default: counts up to "
                    + Text.count(settings.listBound()) + " per status)");
        }
        if ("true".equals(exact)) {
            body.put("byStatus", settings.admin().countByStatus(query));
            body.put("matching", settings.admin().count(query));
            json(ctx, 200, body);
            return;
        }
        // why bounded by default: the list's own counts, at most listBound + 1 rows read per status (exact=true reads all)
        StatusCounts counts = settings.admin().countByStatus(query, settings.listBound());
        body.put("byStatus", counts.counts());
        body.put("matching", counts.total(query.statuses()));
        body.put("bound", counts.bound());
        body.put("capped", counts.capped());
        body.put("matchingCapped", counts.anyCapped(query.statuses()));
        json(ctx, 200, body);
    }

    /** A row's last error: the class, and for users who see data the message's first line. */
    private static Map<String, Object> lastError(LastError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorClass", e.errorClass());
        m.put("message", e.message().map(ListPages::firstLine).orElse(null));
        m.put("step", e.step());
        m.put("attempt", e.attempt());
        m.put("occurredAt", e.occurredAt().toString());
        return m;
    }

    /** The failure groups of the filter, each with the query string of the list filtered to it. */
    void failures(Context ctx, Guard.Caller caller) {
        OperationQuery query = Filters.parse(ctx::queryParams);
        int bound = settings.failuresBound();
        List<Map<String, Object>> groups = settings.admin().failureGroups(query, bound).stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("definition", g.definition());
            m.put("step", g.step());
            m.put("errorClass", g.errorClass().orElse(null));
            m.put("count", g.count());
            m.put("filter", Filters.queryString(ListPages.groupQuery(query, g), false));
            return m;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groups", groups);
        body.put("bound", bound);
        body.put("bounded", ListPages.groupsBounded(settings.admin().countByStatus(query, settings.listBound()), bound));
        json(ctx, 200, body);
    }

    void operation(Context ctx, Guard.Caller caller) {
        OperationId id = Pages.pathId(ctx);
        OperationView view = settings.scheduler().find(id).orElseThrow(() -> new OperationNotFoundException(id));
        Optional<OperationSummary> summary = settings.admin().list(OperationQuery.builder().id(id).build()).items().stream().findFirst();
        boolean seesData = caller.user().seesData();
        Map<String, Object> body = Views.operation(view, summary, seesData, true);
        body.put("attempts", Views.attempts(settings.scheduler().attempts(id), seesData, true));
        body.put("audit", Views.audit(settings.admin().audit(id), true));
        body.put("steps", settings.admin().steps(view.definition()));
        OperationPage children = settings.admin().list(OperationQuery.builder().parentId(id).limit(Pages.CHILDREN_SHOWN).build());
        body.put("children", children.items().stream().map(s -> Views.summary(s, true)).toList());
        body.put("moreChildren", children.nextCursor().isPresent()); // all of them: GET /api/operations?parent=<id>
        json(ctx, 200, body);
    }

    void act(Context ctx, Guard.Caller caller) {
        OperationId id = Pages.pathId(ctx);
        String action = ctx.pathParam("action");
        JsonNode body = body(ctx);
        OperationAdmin.Operator operator = settings.admin().as(caller.user().name());
        switch (action) {
            case "retry" -> operator.retry(id);
            case "retry-from" -> operator.retryFrom(id, text(body, ctx, "step"));
            case "move" -> operator.move(id, text(body, ctx, "step"));
            case "run-now" -> operator.runNow(id);
            case "expire" -> operator.expire(id);
            case "fail" -> operator.fail(id, Pages.reason(text(body, ctx, "reason")));
            case "cancel" -> operator.cancel(id);
            case "signal" -> operator.signal(id, text(body, ctx, "name"),
                    Pages.payload(body != null && body.hasNonNull("payload") ? body.get("payload").toString() : null));
            default -> throw new HttpProblem(404, "no action '" + action + "'; actions: retry, retry-from, move, run-now, expire, fail, cancel, signal");
        }
        OperationSummary after = settings.admin().list(OperationQuery.builder().id(id).build()).items().get(0);
        json(ctx, 200, Views.summary(after, true));
    }

    void countBulk(Context ctx, Guard.Caller caller) {
        BulkAction action = BulkPages.action(ctx.pathParam("action"));
        OperationQuery query = BulkPages.query(ctx::queryParams);
        json(ctx, 200, Map.of("action", action.name().toLowerCase(), "count", settings.admin().countEligible(action, query),
                "filter", query.toString()));
    }

    void bulk(Context ctx, Guard.Caller caller) {
        BulkAction action = BulkPages.action(ctx.pathParam("action"));
        OperationQuery query = BulkPages.query(ctx::queryParams);
        JsonNode input = body(ctx);
        BulkPages.Input checked = BulkPages.Input.of(action, name -> input != null && input.hasNonNull(name)
                ? (name.equals("payload") ? input.get(name).toString() : input.get(name).asText()) : ctx.queryParam(name));
        String expected = ctx.queryParam("expected");
        if (expected != null) {
            long now = settings.admin().countEligible(action, query);
            if (!expected.equals(Long.toString(now))) {
                throw new HttpProblem(409, "expected " + expected + " operations to " + action.name().toLowerCase()
                        + ", but the filter now matches " + now + "; count again and confirm");
            }
        }
        OperationAdmin.Operator operator = settings.admin().as(caller.user().name());
        java.util.function.BiFunction<java.util.UUID, io.durableops.core.admin.BulkListener, BulkResult> work =
                (runId, listener) -> checked.run(operator, action, query, runId, listener);
        String filterQuery = Filters.queryString(query, true);
        if ("true".equals(ctx.queryParam("background"))) {
            BulkRuns.Run run = runs.start(action, query.toString(), filterQuery, operator.actor(), work);
            json(ctx, 202, BulkPages.runView(run, true));
            return;
        }
        BulkResult result = runs.runHere(action, query.toString(), filterQuery, operator.actor(), work);
        json(ctx, 200, Map.of("action", action.name().toLowerCase(), "changed", result.changed(), "skipped", result.skipped(),
                "run", result.runId().toString()));
    }

    /** A bulk run's progress, as its page shows it. */
    void bulkRun(Context ctx, Guard.Caller caller) {
        json(ctx, 200, BulkPages.runView(bulkPages.find(ctx), true));
    }

    /** Who is signed in, and the CSRF token to send with state-changing calls. */
    void session(Context ctx, Guard.Caller caller) {
        json(ctx, 200, Map.of("user", caller.user().name(), "role", caller.user().role().name(),
                "seesData", caller.user().seesData(), "csrfToken", guard.token(caller.binding())));
    }

    private static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank() || !String.valueOf(ctx.contentType()).startsWith("application/json")) return null;
        try {
            return Views.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new HttpProblem(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A field of the JSON body, or a form parameter of that name. */
    private static String text(JsonNode body, Context ctx, String name) {
        String value = body != null && body.hasNonNull(name) ? body.get(name).asText() : ctx.formParam(name);
        if (value == null || value.isBlank()) throw new HttpProblem(400, "'" + name + "' is required");
        return value.strip();
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(write(body));
    }

    static String write(Object body) {
        try {
            return Views.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}

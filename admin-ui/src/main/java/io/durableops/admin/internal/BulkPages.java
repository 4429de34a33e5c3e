package io.durableops.admin.internal;

import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationQuery;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The bulk actions over a filtered set or a selection of rows: a confirmation page that says how many will change,
 * then the action, started in the background only if that count still holds (else the page again with the new count),
 * and the run's progress page.
 */
final class BulkPages {
    /** Marks a form of selected rows: no row selected is then an error, never "every operation". */
    static final String SELECTION = "selection";

    private final Settings settings;
    private final Render render;
    private final ListPages list;
    private final BulkRuns runs;
    private final String base;

    BulkPages(Settings settings, Render render, ListPages list, BulkRuns runs) {
        this.settings = settings;
        this.render = render;
        this.list = list;
        this.runs = runs;
        this.base = settings.basePath();
    }

    void confirm(Context ctx, Guard.Caller caller) {
        BulkAction action = action(ctx.pathParam("action"));
        confirmPage(ctx, caller, action, query(ctx::queryParams), null, 200);
    }

    void run(Context ctx, Guard.Caller caller) {
        BulkAction action = action(ctx.pathParam("action"));
        OperationQuery query = query(ctx::formParams);
        Input input = Input.of(action, ctx::formParam);
        long now = settings.admin().countEligible(action, query);
        String expected = ctx.formParam("expected");
        if (expected == null || !expected.equals(Long.toString(now))) {
            confirmPage(ctx, caller, action, query, "The set changed since you looked: it now has " + now
                    + " operation(s) to " + verb(action) + ". Confirm again.", 409);
            return;
        }
        OperationAdmin.Operator operator = settings.admin().as(caller.user().name());
        BulkRuns.Run run;
        try {
            run = runs.start(action, query.toString(), Filters.queryString(query, true), operator.actor(),
                    (id, listener) -> input.run(operator, action, query, id, listener));
        } catch (HttpProblem busy) {
            ctx.header("Retry-After", Long.toString(busy.retryAfter == null ? 5 : busy.retryAfter.toSeconds()));
            confirmPage(ctx, caller, action, query, "Not started: " + busy.getMessage() + ".", busy.status);
            return;
        }
        ctx.redirect(base + "/bulk/runs/" + run.id, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** A run's progress page: it refreshes itself until the run has ended. */
    void runPage(Context ctx, Guard.Caller caller) {
        BulkRuns.Run run = find(ctx);
        Map<String, Object> model = render.model(ctx, caller, label(run.action) + " in bulk");
        Map<String, Object> view = runView(run, false); // its state read once, before the counts: they are final once it has ended
        boolean running = view.get("state").equals("running");
        if (running) render.live(model);
        model.put("run", view);
        model.put("label", label(run.action));
        model.put("outcome", running ? null : past(run.action) + " " + view.get("changed") + " operation(s)"
                + ((long) view.get("skipped") > 0 ? "; " + view.get("skipped") + " had changed meanwhile and were left alone." : "."));
        model.put("showUrl", list.listUrl(runFilter(run)));
        model.put("backUrl", list.listUrl(run.filterQuery));
        render.html(ctx, 200, "bulk-run", model);
    }

    /** The run of the path's id, or a 404 that says where a run's progress lives. */
    BulkRuns.Run find(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Filters.looksLikeUuid(id)) throw new HttpProblem(404, "no bulk run '" + id + "': a run's id is a UUID");
        return runs.find(java.util.UUID.fromString(id)).orElseThrow(() -> new HttpProblem(404, "no bulk run " + id
                + " on this node: a run's progress is kept in the memory of the node that ran it, until it restarts (the latest "
                + BulkRuns.KEPT + " runs); the operations it changed are still listed by " + base + "/?bulkRun=" + id));
    }

    /** The query string of the list of the operations a run changed. */
    static String runFilter(BulkRuns.Run run) {
        return Filters.queryString(OperationQuery.builder().bulkRun(run.id).build(), false);
    }

    /** A run as the page and the JSON API show it. */
    static Map<String, Object> runView(BulkRuns.Run run, boolean json) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("run", run.id.toString());
        m.put("action", verb(run.action));
        m.put("filter", run.filter);
        m.put("actor", run.actor);
        m.put("state", run.state().name().toLowerCase(Locale.ROOT));
        m.put("startedAt", json ? run.startedAt.toString() : run.startedAt);
        m.put("finishedAt", run.finishedAt() == null ? null : json ? run.finishedAt().toString() : run.finishedAt());
        m.put("eligible", run.eligible());
        m.put("changed", run.changed());
        m.put("skipped", run.skipped());
        m.put("error", run.error());
        m.put("operations", runFilter(run));
        return m;
    }

    /** The filters of a bulk request; a selection form with no row selected is refused. */
    static OperationQuery query(Function<String, List<String>> params) {
        OperationQuery query = Filters.parse(params);
        if (Filters.one(params, SELECTION) != null && query.ids().isEmpty()) {
            throw new HttpProblem(400, "no operation is selected: tick the rows to act on, or use the \"all\" buttons for the whole filter");
        }
        return query;
    }

    private void confirmPage(Context ctx, Guard.Caller caller, BulkAction action, OperationQuery query, String warning, int status) {
        long count = settings.admin().countEligible(action, query);
        Map<String, Object> model = render.model(ctx, caller, "Confirm " + verb(action));
        model.put("verb", verb(action));
        model.put("label", label(action));
        model.put("done", past(action).toLowerCase(Locale.ROOT));
        model.put("count", count);
        model.put("filterText", query.toString());
        model.put("selected", query.ids().size());
        model.put("statuses", action.appliesTo().stream().sorted().map(Enum::name).toList());
        model.put("fields", Filters.hiddenFields(query));
        model.put("postUrl", base + "/bulk/" + verb(action));
        model.put("backUrl", list.listUrl(Filters.queryString(query, true)));
        model.put("warning", warning);
        model.put("danger", action != BulkAction.RETRY && action != BulkAction.SIGNAL);
        model.put("maxReason", Pages.MAX_REASON);
        model.put("reason", ctx.formParam("reason") == null ? "" : ctx.formParam("reason"));
        model.put("signalName", ctx.formParam("name") == null ? "" : ctx.formParam("name"));
        model.put("payload", ctx.formParam("payload") == null ? "" : ctx.formParam("payload"));
        render.html(ctx, status, "confirm", model);
    }

    /** What an action needs besides its filter: a fail's reason, a signal's name and payload; checked before it runs. */
    record Input(String reason, String name, String payload) {
        static Input of(BulkAction action, Function<String, String> field) {
            return switch (action) {
                case FAIL -> new Input(Pages.reason(field.apply("reason")), null, null);
                case SIGNAL -> new Input(null, Pages.required(field.apply("name"), "signal name"), Pages.payload(field.apply("payload")));
                default -> new Input(null, null, null);
            };
        }

        BulkResult run(OperationAdmin.Operator operator, BulkAction action, OperationQuery query, java.util.UUID runId,
                       io.durableops.core.admin.BulkListener listener) {
            return switch (action) {
                case RETRY -> operator.retryAll(query, runId, listener);
                case EXPIRE -> operator.expireAll(query, runId, listener);
                case CANCEL -> operator.cancelAll(query, runId, listener);
                case FAIL -> operator.failAll(query, reason, runId, listener);
                case SIGNAL -> operator.signalAll(query, name, payload, runId, listener);
            };
        }
    }

    static BulkAction action(String name) {
        for (BulkAction action : BulkAction.values()) if (verb(action).equals(name)) return action;
        throw new HttpProblem(404, "no bulk action '" + name + "'; bulk actions: "
                + String.join(", ", Arrays.stream(BulkAction.values()).map(BulkPages::verb).toList()));
    }

    static String verb(BulkAction action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    /** The button's word: Retry, Expire, Cancel, Fail, Signal. */
    static String label(BulkAction action) {
        String verb = verb(action);
        return Character.toUpperCase(verb.charAt(0)) + verb.substring(1);
    }

    private static String past(BulkAction action) {
        return switch (action) {
            case RETRY -> "Retried";
            case EXPIRE -> "Expired";
            case CANCEL -> "Cancelled";
            case FAIL -> "Failed";
            case SIGNAL -> "Signalled";
        };
    }
}

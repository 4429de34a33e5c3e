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
 * then the action, run only if that count still holds (else the page again with the new count).
 */
final class BulkPages {
    /** Marks a form of selected rows: no row selected is then an error, never "every operation". */
    static final String SELECTION = "selection";

    private final Settings settings;
    private final Render render;
    private final ListPages list;
    private final String base;

    BulkPages(Settings settings, Render render, ListPages list) {
        this.settings = settings;
        this.render = render;
        this.list = list;
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
        BulkResult result = input.run(settings.admin().as(caller.user().name()), action, query);
        render.flash(caller, past(action) + " " + result.changed() + " operation(s)"
                + (result.skipped() > 0 ? "; " + result.skipped() + " had changed meanwhile and were left alone." : ".")
                + (query.ids().isEmpty() ? "" : " The list shows the selected ones."), false);
        ctx.redirect(list.listUrl(Filters.queryString(query, true)), io.javalin.http.HttpStatus.SEE_OTHER);
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

        BulkResult run(OperationAdmin.Operator operator, BulkAction action, OperationQuery query) {
            return switch (action) {
                case RETRY -> operator.retryAll(query);
                case EXPIRE -> operator.expireAll(query);
                case CANCEL -> operator.cancelAll(query);
                case FAIL -> operator.failAll(query, reason);
                case SIGNAL -> operator.signalAll(query, name, payload);
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

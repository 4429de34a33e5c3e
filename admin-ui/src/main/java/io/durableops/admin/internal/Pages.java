package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;
import io.durableops.core.AttemptStatus;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.OperationView;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTML pages: list, operation actions, bulk confirmation, and the assets (one stylesheet, one script). Server-side
 * rendered; the script only refreshes marked regions of a page in the background.
 */
final class Pages {
    /** The longest fail reason core accepts. */
    static final int MAX_REASON = 2000;
    static final int MAX_SIGNAL_PAYLOAD = 100_000;
    /** The most children the operation page lists; past it, a link to the list filtered by parent shows them all. */
    static final int CHILDREN_SHOWN = 20;

    private final Settings settings;
    private final Render render;
    private final String base;
    private final Map<String, byte[]> assets = new HashMap<>();

    Pages(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
        this.base = settings.basePath();
        for (String name : List.of("admin.css", "admin.js", "graph.css")) {
            try (InputStream in = Pages.class.getResourceAsStream("/io/durableops/admin/assets/" + name)) {
                assets.put(name, in.readAllBytes());
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("the admin UI's " + name + " is missing from the jar", e);
            }
        }
    }

    Render render() {
        return render;
    }
    // ---- list ------------------------------------------------------------------------------------------------

    void list(Context ctx, Guard.Caller caller) {
        OperationQuery query = Filters.parse(ctx::queryParams);
        OperationPage page = settings.admin().list(query);
        Map<OperationStatus, Long> counts = settings.admin().countByStatus(query);
        String filters = Filters.queryString(query, true);

        Map<String, Object> model = render.model(ctx, caller, "Operations");
        render.live(model);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OperationSummary s : page.items()) {
            Map<String, Object> row = Views.summary(s, false);
            row.put("url", base + "/operations/" + s.id());
            rows.add(row);
        }
        model.put("rows", rows);
        List<Map<String, Object>> chips = new ArrayList<>();
        long total = 0;
        for (Map.Entry<OperationStatus, Long> e : counts.entrySet()) {
            total += e.getValue();
            OperationQuery only = query.toBuilder().cursor(null).statuses(e.getKey()).build();
            chips.add(Map.of("status", e.getKey().name(), "count", e.getValue(),
                    "url", listUrl(Filters.queryString(only, true)),
                    "active", query.statuses().size() == 1 && query.statuses().contains(e.getKey())));
        }
        model.put("chips", chips);
        model.put("total", total);
        model.put("allUrl", listUrl(Filters.queryString(query.toBuilder().cursor(null).statuses(List.of()).build(), true)));
        model.put("nextUrl", page.nextCursor().map(c -> listUrl(join(filters, "cursor=" + c))).orElse(null));
        model.put("firstUrl", query.cursor().isPresent() ? listUrl(filters) : null);
        model.put("filter", filterModel(query, ctx));
        model.put("definitions", settings.admin().definitions());
        model.put("statuses", List.of(OperationStatus.values()).stream().map(Enum::name).toList());
        model.put("retryCount", eligible(BulkAction.RETRY, query, counts));
        model.put("expireCount", eligible(BulkAction.EXPIRE, query, counts));
        model.put("retryUrl", base + "/bulk/retry?" + Filters.queryString(query, false));
        model.put("expireUrl", base + "/bulk/expire?" + Filters.queryString(query, false));
        render.html(ctx, 200, "list", model);
    }

    /** How many of the filtered set an action would change, from the counts per status already read. */
    private static long eligible(BulkAction action, OperationQuery query, Map<OperationStatus, Long> counts) {
        return counts.entrySet().stream()
                .filter(e -> action.appliesTo().contains(e.getKey()))
                .filter(e -> query.statuses().isEmpty() || query.statuses().contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static Map<String, Object> filterModel(OperationQuery query, Context ctx) {
        Map<String, Object> f = new HashMap<>();
        f.put("statuses", query.statuses().stream().map(Enum::name).toList());
        f.put("definition", query.definition().orElse(""));
        f.put("step", query.currentStep().orElse(""));
        f.put("from", query.createdFrom().map(Pages::localInput).orElse(""));
        f.put("to", query.createdBefore().map(Pages::localInput).orElse(""));
        f.put("q", query.id().map(OperationId::toString).or(query::idempotencyKey).orElse(""));
        f.put("attribute", query.searchAttribute().map(java.util.Map.Entry::getKey).orElse(""));
        f.put("value", query.searchAttribute().map(java.util.Map.Entry::getValue).orElse(""));
        f.put("parent", query.parentId().map(OperationId::toString).orElse(""));
        f.put("version", query.definitionVersion().map(String::valueOf).orElse(""));
        return f;
    }

    /** The value of a datetime-local input (UTC). */
    private static String localInput(Instant instant) {
        return java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC).toString();
    }

    // ---- operation actions (the page itself: OperationPages) -----------------------------------------------------

    void act(Context ctx, Guard.Caller caller) {
        OperationId id = pathId(ctx);
        String action = ctx.pathParam("action");
        var operator = settings.admin().as(caller.user().name());
        String done;
        try {
            switch (action) {
                case "retry" -> { operator.retry(id); done = "Retried: the operation is running again."; }
                case "retry-from" -> {
                    String step = required(ctx.formParam("step"), "step");
                    operator.retryFrom(id, step);
                    done = "Retried from step '" + step + "'.";
                }
                case "move" -> {
                    String step = required(ctx.formParam("step"), "step");
                    operator.move(id, step);
                    done = "Moved to step '" + step + "' of the current version: the operation is running again.";
                }
                case "run-now" -> { operator.runNow(id); done = "The step is due now (a wait checks again now)."; }
                case "expire" -> { operator.expire(id); done = "Expired: its step will never run."; }
                case "fail" -> {
                    String reason = reason(ctx.formParam("reason"));
                    operator.fail(id, reason);
                    done = "Marked as failed.";
                }
                case "cancel" -> { operator.cancel(id); done = "Cancelled."; }
                case "signal" -> {
                    String name = required(ctx.formParam("name"), "name");
                    operator.signal(id, name, payload(ctx.formParam("payload")));
                    done = "Signal '" + name + "' sent.";
                }
                default -> throw new HttpProblem(404, "no action '" + action + "'; actions: retry, retry-from, move, run-now, expire, fail, cancel, signal");
            }
        } catch (OperationNotFoundException | HttpProblem e) {
            throw e;
        } catch (RuntimeException e) {
            if (!(e instanceof io.durableops.core.DurableOpsException) && !(e instanceof IllegalArgumentException)) throw e;
            render.flash(caller, e.getMessage(), true);
            ctx.redirect(base + "/operations/" + id, io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        render.flash(caller, done, false);
        ctx.redirect(base + "/operations/" + id, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ---- bulk ------------------------------------------------------------------------------------------------

    void confirmBulk(Context ctx, Guard.Caller caller) {
        BulkAction action = bulkAction(ctx);
        OperationQuery query = Filters.parse(ctx::queryParams);
        confirmPage(ctx, caller, action, query, null);
    }

    void bulk(Context ctx, Guard.Caller caller) {
        BulkAction action = bulkAction(ctx);
        OperationQuery query = Filters.parse(ctx::formParams);
        long now = settings.admin().countEligible(action, query);
        String expected = ctx.formParam("expected");
        if (expected == null || !expected.equals(Long.toString(now))) {
            confirmPage(ctx, caller, action, query, "The set changed since you looked: it now has " + now
                    + " operation(s) to " + verb(action) + ". Confirm again.");
            return;
        }
        var operator = settings.admin().as(caller.user().name());
        BulkResult result = action == BulkAction.RETRY ? operator.retryAll(query) : operator.expireAll(query);
        render.flash(caller, (action == BulkAction.RETRY ? "Retried " : "Expired ") + result.changed() + " operation(s)"
                + (result.skipped() > 0 ? "; " + result.skipped() + " had changed meanwhile and were left alone." : "."), false);
        ctx.redirect(listUrl(Filters.queryString(query, true)), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void confirmPage(Context ctx, Guard.Caller caller, BulkAction action, OperationQuery query, String warning) {
        long count = settings.admin().countEligible(action, query);
        Map<String, Object> model = render.model(ctx, caller, "Confirm " + verb(action));
        model.put("verb", verb(action));
        model.put("count", count);
        model.put("filterText", query.toString());
        model.put("statuses", action.appliesTo().stream().sorted().map(Enum::name).toList());
        model.put("fields", Filters.hiddenFields(query));
        model.put("postUrl", base + "/bulk/" + verb(action));
        model.put("backUrl", listUrl(Filters.queryString(query, true)));
        model.put("warning", warning);
        render.html(ctx, warning == null ? 200 : 409, "confirm", model);
    }

    private static BulkAction bulkAction(Context ctx) {
        return switch (ctx.pathParam("action")) {
            case "retry" -> BulkAction.RETRY;
            case "expire" -> BulkAction.EXPIRE;
            default -> throw new HttpProblem(404, "no bulk action '" + ctx.pathParam("action") + "'; bulk actions: retry, expire");
        };
    }

    private static String verb(BulkAction action) {
        return action.name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- assets and helpers ------------------------------------------------------------------------------------

    void asset(Context ctx, Guard.Caller ignored) {
        String name = ctx.pathParam("file");
        byte[] bytes = assets.get(name);
        if (bytes == null) throw new HttpProblem(404, "no asset '" + name + "'");
        ctx.header("Cache-Control", "max-age=3600");
        ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8").result(bytes);
    }

    /** A fail reason: required, and at most {@link #MAX_REASON} characters (core refuses longer ones). */
    static String reason(String value) {
        String reason = required(value, "reason");
        if (reason.length() > MAX_REASON) {
            throw new HttpProblem(400, "a fail reason is at most " + Text.count(MAX_REASON) + " characters; this one has "
                    + Text.count(reason.length()));
        }
        return reason;
    }

    /** A signal's JSON payload: optional, at most {@link #MAX_SIGNAL_PAYLOAD} characters. */
    static String payload(String value) {
        if (value != null && value.length() > MAX_SIGNAL_PAYLOAD) {
            throw new HttpProblem(400, "a signal payload is at most " + Text.count(MAX_SIGNAL_PAYLOAD)
                    + " characters; this one has " + Text.count(value.length()));
        }
        return value;
    }

    static String required(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("a " + name + " is required");
        return value.strip();
    }

    static OperationId pathId(Context ctx) {
        String text = ctx.pathParam("id");
        if (!Filters.looksLikeUuid(text)) throw new HttpProblem(404, "no operation '" + text + "': operation ids are UUIDs");
        return OperationId.parse(text);
    }

    /** The list with these query parameters. */
    private String listUrl(String queryString) {
        return base + "/" + (queryString.isEmpty() ? "" : "?" + queryString);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "&" + b;
    }
}

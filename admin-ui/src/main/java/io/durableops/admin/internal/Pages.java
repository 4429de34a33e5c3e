package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;
import io.durableops.core.AttemptStatus;
import io.durableops.core.admin.AuditQuery;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTML pages: the operation page's actions (the page itself: OperationPages), and the assets (one stylesheet, one script). Server-side
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
    // ---- operation actions (the page itself: OperationPages; the list: ListPages) -----------------------------

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
}

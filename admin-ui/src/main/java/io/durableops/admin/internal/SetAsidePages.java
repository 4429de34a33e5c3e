package io.durableops.admin.internal;

import io.durableops.core.DurableOpsException;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.SetAsideWork;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Staged work the relay set aside ({@link OperationAdmin#setAsideWork}), page and API, with Release (the relay offers
 * it again) and Discard (never handed over) for operators. Core records both on the item's operation.
 */
final class SetAsidePages {
    /** The most items listed: the oldest first, as core returns them. */
    static final int SHOWN = 200;
    static final String RELEASE = "release-staged";
    static final String DISCARD = "discard-staged";

    private final Settings settings;
    private final Render render;
    private final String base;

    SetAsidePages(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
        this.base = settings.basePath();
    }

    void page(Context ctx, Guard.Caller caller) {
        Map<String, Object> model = render.model(ctx, caller, "Set-aside work");
        render.live(model);
        List<SetAsideWork> items = settings.admin().setAsideWork(SHOWN);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SetAsideWork w : items) {
            Map<String, Object> row = view(w, false);
            row.put("operationUrl", base + "/operations/" + w.operationId());
            row.put("actionUrl", base + "/set-aside/" + w.id() + "/");
            rows.add(row);
        }
        model.put("items", rows);
        model.put("capped", items.size() == SHOWN);
        model.put("shown", SHOWN);
        render.html(ctx, 200, "set-aside", model);
    }

    void act(Context ctx, Guard.Caller caller) {
        String done;
        try {
            done = perform(ctx, caller);
        } catch (HttpProblem e) {
            throw e;
        } catch (DurableOpsException e) {
            render.flash(caller, e.getMessage(), true);
            ctx.redirect(base + "/set-aside", HttpStatus.SEE_OTHER);
            return;
        }
        render.flash(caller, done, false);
        ctx.redirect(base + "/set-aside", HttpStatus.SEE_OTHER);
    }

    void apiList(Context ctx, Guard.Caller caller) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", settings.admin().setAsideWork(SHOWN).stream().map(w -> view(w, true)).toList());
        json(ctx, body);
    }

    void apiAct(Context ctx, Guard.Caller caller) {
        String action = ctx.pathParam("action");
        perform(ctx, caller);
        json(ctx, Map.of("id", ctx.pathParam("item"), "action", action, "done", true));
    }

    /** Releases or discards the item of the path; returns the sentence of the flash. */
    private String perform(Context ctx, Guard.Caller caller) {
        UUID item = item(ctx.pathParam("item"));
        OperationAdmin.Operator operator = settings.admin().as(caller.user().name());
        return switch (ctx.pathParam("action")) {
            case "release" -> {
                operator.releaseSetAside(item);
                yield "Released: the relay offers it again on its next pass.";
            }
            case "discard" -> {
                operator.discardSetAside(item);
                yield "Discarded: it will never be handed over.";
            }
            default -> throw new HttpProblem(404, "no action '" + ctx.pathParam("action") + "' on set-aside work; actions: release, discard");
        };
    }

    private static UUID item(String text) {
        if (!Filters.looksLikeUuid(text)) throw new HttpProblem(404, "no set-aside work '" + text + "': its ids are UUIDs");
        return UUID.fromString(text.trim());
    }

    static Map<String, Object> view(SetAsideWork w, boolean forJson) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id().toString());
        m.put("operationId", w.operationId().toString());
        m.put("kind", w.kind());
        m.put("createdAt", forJson ? w.createdAt().toString() : w.createdAt());
        m.put("setAsideAt", forJson ? w.setAsideAt().toString() : w.setAsideAt());
        m.put("reason", w.reason());
        return m;
    }

    private static void json(Context ctx, Object body) {
        ctx.status(200).contentType("application/json").result(Api.write(body));
    }
}

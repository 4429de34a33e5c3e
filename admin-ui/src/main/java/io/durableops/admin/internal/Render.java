package io.durableops.admin.internal;

import io.javalin.http.Context;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every page shares: the layout's model (title, navigation, the caller, the CSRF token, the flash message, the
 * auto-refresh interval), the error page, and writing HTML.
 */
final class Render {
    final Settings settings;
    final Guard guard;
    final Flashes flashes = new Flashes();
    private final Templates templates;
    final String base;

    Render(Settings settings, Guard guard, Templates templates) {
        this.settings = settings;
        this.guard = guard;
        this.templates = templates;
        this.base = settings.basePath();
    }

    /** The layout's model for a signed-in (or anonymous, when opened) caller; takes the caller's flash message. */
    Map<String, Object> model(Context ctx, Guard.Caller caller, String pageTitle) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", settings.title());
        model.put("pageTitle", pageTitle);
        model.put("base", base);
        model.put("user", caller.user().name());
        model.put("role", caller.user().role().name());
        model.put("operator", caller.user().isOperator());
        model.put("csrf", guard.token(caller.binding()));
        model.put("signedIn", caller.session() != null);
        String setAside = setAsideCount();
        if (setAside != null) model.put("setAsideCount", setAside);
        // a page refreshing itself in the background leaves the message for the page the user sees
        Flashes.Flash flash = ctx.header(Routes.REFRESH_HEADER) == null ? flashes.take(caller.binding()) : null;
        if (flash != null) {
            model.put("flash", flash.message());
            model.put("flashIsError", flash.error());
        }
        return model;
    }

    /**
     * How many staged items are set aside, for the navigation ("200+" past what the page lists); null if none, or if
     * the database cannot say (the page itself then reports it).
     */
    private String setAsideCount() {
        try {
            int n = settings.admin().setAsideWork(SetAsidePages.SHOWN).size();
            return n == 0 ? null : n == SetAsidePages.SHOWN ? n + "+" : Integer.toString(n);
        } catch (io.durableops.core.DurableOpsException e) {
            return null;
        }
    }

    /** Turns on the page's auto-refresh (if configured). */
    void live(Map<String, Object> model) {
        long seconds = settings.refresh().toSeconds();
        if (seconds > 0) model.put("refresh", seconds);
    }

    void flash(Guard.Caller caller, String message, boolean error) {
        flashes.put(caller.binding(), message, error);
    }

    /** An error page; with the navigation when the caller is known. */
    void problemPage(Context ctx, int status, String message, Guard.Caller caller) {
        Map<String, Object> model = caller != null ? model(ctx, caller, "") : new HashMap<>();
        model.put("title", settings.title());
        model.put("pageTitle", switch (status) {
            case 404 -> "Not found";
            case 403 -> "Not allowed";
            case 413 -> "Too large";
            case 429 -> "Too many attempts";
            default -> "Error " + status;
        });
        model.put("base", base);
        model.put("status", status);
        model.put("message", message);
        html(ctx, status, "problem", model);
    }

    void html(Context ctx, int status, String template, Map<String, Object> model) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(templates.render(template, model));
    }
}

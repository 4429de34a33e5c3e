package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The login page, sign-in and sign-out. The login form's CSRF token is bound to the pre-login cookie
 * ({@link Guard#preBinding}), so showing it stores nothing on the server. Sign-in is throttled per user name and per
 * address ({@link LoginThrottle}); sign-in, sign-out and each failure are recorded in the audit trail.
 */
final class SignIn {
    private static final int MAX_NAME = 200;
    private static final int MAX_PASSWORD = 1000;

    private final Settings settings;
    private final Guard guard;
    private final Render render;

    SignIn(Settings settings, Guard guard, Render render) {
        this.settings = settings;
        this.guard = guard;
        this.render = render;
    }

    void form(Context ctx, Guard.Caller ignored) {
        page(ctx, 200, null, ctx.queryParam("next"));
    }

    void login(Context ctx, Guard.Caller ignored) {
        String username = ctx.formParam("username");
        String password = ctx.formParam("password");
        String next = ctx.formParam("next");
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            page(ctx, 400, "Enter a user name and a password.", next);
            return;
        }
        if (username.length() > MAX_NAME || password.length() > MAX_PASSWORD) {
            page(ctx, 400, "A user name is at most " + MAX_NAME + " characters and a password at most " + MAX_PASSWORD + ".", next);
            return;
        }
        String name = username.strip();
        Optional<AdminUser> user;
        try {
            user = guard.checkPassword(ctx, name, password.toCharArray(), "login form");
        } catch (HttpProblem throttled) {
            ctx.header("Retry-After", Long.toString(Math.max(1, throttled.retryAfter.toSeconds())));
            String why = throttled.getMessage();
            page(ctx, 429, Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".", next);
            return;
        }
        if (user.isEmpty()) {
            page(ctx, 401, "Wrong user name or password.", next);
            return;
        }
        guard.sessions.find(ctx.cookie(Guard.COOKIE), false).ifPresent(guard.sessions::remove);
        guard.start(ctx, user.get()); // a new session id on sign-in
        guard.access.record(null, user.get().name(), Access.SIGN_IN, null, guard.clientAddress(ctx));
        ctx.redirect(ReturnPath.safe(next, render.base), HttpStatus.SEE_OTHER);
    }

    void logout(Context ctx, Guard.Caller caller) {
        if (caller.session() != null) {
            guard.end(ctx, caller.session());
            guard.access.record(null, caller.user().name(), Access.SIGN_OUT, null, guard.clientAddress(ctx));
        }
        ctx.redirect(render.base + "/login", HttpStatus.SEE_OTHER);
    }

    void page(Context ctx, int status, String error, String next) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", settings.title());
        model.put("pageTitle", "Sign in");
        model.put("base", render.base);
        model.put("csrf", guard.token(guard.preBinding(ctx)));
        model.put("error", error);
        model.put("next", next == null || next.length() > 2000 ? "" : next);
        model.put("loginUrl", render.base + "/login");
        render.html(ctx, status, "login", model);
    }
}

package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who a request comes from, and whether it may do what it asks: SSO ({@code Authenticator.fromRequest}), then the
 * session cookie, then (API only) HTTP Basic, then the anonymous role if the UI was opened on purpose. Also the
 * session cookie and the CSRF token of a caller.
 */
final class Guard {
    static final String COOKIE = "durable_ops_session";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";

    /** A known caller; {@code binding} is what its CSRF token is bound to. {@code session} is null for HTTP Basic. */
    record Caller(AdminUser user, Sessions.Session session, String binding) {
    }

    private final Settings settings;
    final Sessions sessions;
    private final Csrf csrf = new Csrf();

    Guard(Settings settings) {
        this.settings = settings;
        this.sessions = new Sessions(settings.sessionTimeout());
    }

    /** The caller, or empty when the request carries no (valid) credentials. */
    Optional<Caller> identify(Context ctx, boolean api) {
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        Optional<AdminUser> upstream = settings.authenticator().fromRequest(ctx);
        if (upstream.isPresent()) {
            AdminUser user = upstream.get();
            Sessions.Session s = session.filter(x -> x.user != null && x.user.equals(user)).orElseGet(() -> start(ctx, user));
            return Optional.of(caller(s));
        }
        if (session.isPresent() && session.get().user != null) return Optional.of(caller(session.get()));
        String authorization = ctx.header("Authorization");
        if (api && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(authorization.substring(6).trim())
                    .map(user -> new Caller(user, null, "basic:" + user.name()));
        }
        if (settings.anonymousRole() != null) {
            AdminUser anonymous = AdminUser.of("anonymous", settings.anonymousRole());
            return Optional.of(caller(start(ctx, anonymous)));
        }
        return Optional.empty();
    }

    private Optional<AdminUser> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return Optional.empty();
        return settings.authenticator().login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    /** The session of a browser that has not signed in (for the login form's CSRF token), made if needed. */
    Sessions.Session anonymousSession(Context ctx) {
        return sessions.find(ctx.cookie(COOKIE)).orElseGet(() -> start(ctx, null));
    }

    /** A new session for {@code user} (null: not signed in), with its cookie set on the response. */
    Sessions.Session start(Context ctx, AdminUser user) {
        Sessions.Session session = sessions.create(user);
        String path = settings.basePath().isEmpty() ? "/" : settings.basePath();
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + session.id + "; Path=" + path + "; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : ""));
        return session;
    }

    void end(Context ctx, Sessions.Session session) {
        sessions.remove(session);
        String path = settings.basePath().isEmpty() ? "/" : settings.basePath();
        ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=" + path + "; Max-Age=0; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : ""));
    }

    static Caller caller(Sessions.Session session) {
        return new Caller(session.user, session, "session:" + session.id);
    }

    String token(String binding) {
        return csrf.token(binding);
    }

    /** The token of a form field or the {@code X-CSRF-Token} header matches the binding. */
    boolean csrfValid(Context ctx, String binding) {
        String token = ctx.header(CSRF_HEADER);
        if (token == null) token = ctx.formParam(CSRF_FIELD);
        return csrf.valid(binding, token);
    }
}

package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a request comes from, and whether it may do what it asks: SSO ({@code Authenticator.fromRequest}), then the
 * session cookie, then (API only) HTTP Basic, throttled like the login form, then the anonymous role if the UI was
 * opened on purpose. Also the cookies, the client's address and the CSRF token of a caller.
 */
final class Guard {
    static final String COOKIE = "durable_ops_session";
    /** A random value that binds the CSRF token of a visitor who has not signed in; no server state behind it. */
    static final String PRE_COOKIE = "durable_ops_pre";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Za-z:.%\\[\\]_-]{1,100}");
    private static final String PRE_ATTRIBUTE = "durable-ops-pre";

    /** A known caller; {@code binding} is what its CSRF token is bound to. {@code session} is null unless signed in. */
    record Caller(AdminUser user, Sessions.Session session, String binding) {
    }

    private final Settings settings;
    final Sessions sessions;
    final LoginThrottle throttle;
    final Access access;
    private final Csrf csrf = new Csrf();
    private final SecureRandom random = new SecureRandom();

    Guard(Settings settings) {
        this.settings = settings;
        this.sessions = new Sessions(settings.sessionTimeout(), settings.clock());
        this.throttle = new LoginThrottle(settings.clock());
        this.access = new Access(settings.admin());
    }

    /**
     * The caller, or empty when the request carries no (valid) credentials. {@code touch} false (a page refreshing
     * itself) leaves the session's idle time alone.
     *
     * @throws HttpProblem 429 for HTTP Basic credentials of a user name or address that is throttled
     */
    Optional<Caller> identify(Context ctx, boolean api, boolean touch) {
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE), touch);
        Optional<AdminUser> upstream = settings.authenticator().fromRequest(ctx);
        if (upstream.isPresent()) {
            AdminUser user = upstream.get();
            Sessions.Session s = session.filter(x -> x.user.equals(user)).orElseGet(() -> start(ctx, user));
            return Optional.of(caller(s));
        }
        if (session.isPresent()) return Optional.of(caller(session.get()));
        String authorization = ctx.header("Authorization");
        if (api && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(ctx, authorization.substring(6).trim()).map(user -> new Caller(user, null, "basic:" + user.name()));
        }
        if (settings.anonymousRole() != null) {
            return Optional.of(new Caller(AdminUser.of("anonymous", settings.anonymousRole()), null, preBinding(ctx)));
        }
        return Optional.empty();
    }

    private Optional<AdminUser> basic(Context ctx, String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return Optional.empty();
        return checkPassword(ctx, decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray(), "HTTP Basic");
    }

    /**
     * Checks a name and password through the authenticator, unless the name or the client's address is throttled;
     * records a failure (and the lock it may begin) in the audit trail.
     *
     * @throws HttpProblem 429, with Retry-After, while the name or address is throttled
     */
    Optional<AdminUser> checkPassword(Context ctx, String name, char[] password, String how) {
        String address = clientAddress(ctx);
        Optional<Duration> wait = throttle.wait(name, address);
        if (wait.isPresent()) {
            throw new HttpProblem(429, "too many failed sign-ins for this user name or from this address; try again in "
                    + LoginThrottle.words(wait.get()), wait.get());
        }
        Optional<AdminUser> user = settings.authenticator().login(name, password);
        if (user.isPresent()) {
            throttle.succeeded(name);
            return user;
        }
        LoginThrottle.Outcome outcome = throttle.failed(name, address);
        access.record(null, name, Access.SIGN_IN_FAILED, "wrong user name or password (" + how + ")", address);
        if (outcome.locked()) {
            String detail = outcome.failures() + " failed sign-ins for this " + outcome.what() + "; refused for "
                    + LoginThrottle.words(outcome.lock());
            access.record(null, name, Access.THROTTLED, detail, address);
            LOG.warn("sign-ins throttled after {} failures for a {} (client {}) for {}", outcome.failures(), outcome.what(),
                    address, LoginThrottle.words(outcome.lock()));
        }
        return Optional.empty();
    }

    /**
     * The client's address: the last entry of the configured proxy header when there is one and it looks like an
     * address, otherwise the address of the connection.
     */
    String clientAddress(Context ctx) {
        if (settings.clientAddressHeader() != null) {
            String header = ctx.header(settings.clientAddressHeader());
            if (header != null) {
                String last = header.substring(header.lastIndexOf(',') + 1).strip();
                if (ADDRESS.matcher(last).matches()) return last;
            }
        }
        return ctx.ip();
    }

    /**
     * The CSRF binding of a visitor who has not signed in: the random value of its pre-login cookie, set on this
     * response if the request had none. Nothing is stored on the server, so no amount of anonymous traffic can make a
     * pending login form expire.
     */
    String preBinding(Context ctx) {
        String known = ctx.attribute(PRE_ATTRIBUTE);
        if (known != null) return "pre:" + known;
        String nonce = ctx.cookie(PRE_COOKIE);
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            ctx.res().addHeader("Set-Cookie", PRE_COOKIE + "=" + nonce + "; Path=" + cookiePath() + "; HttpOnly; SameSite=Lax"
                    + (settings.secureCookies() ? "; Secure" : ""));
        }
        ctx.attribute(PRE_ATTRIBUTE, nonce);
        return "pre:" + nonce;
    }

    /** A new session for a user who signed in, with its cookie set on the response. */
    Sessions.Session start(Context ctx, AdminUser user) {
        Sessions.Session session = sessions.create(user);
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + session.id + "; Path=" + cookiePath() + "; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : ""));
        return session;
    }

    void end(Context ctx, Sessions.Session session) {
        sessions.remove(session);
        ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=" + cookiePath() + "; Max-Age=0; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : ""));
    }

    private String cookiePath() {
        return settings.basePath().isEmpty() ? "/" : settings.basePath();
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

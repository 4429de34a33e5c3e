package io.durableops.admin.internal;

import io.durableops.core.DurableOpsException;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.UnknownDefinitionException;
import io.durableops.core.UnknownStepException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Registers the pages and the JSON API under the base path. Every handler runs inside {@link #guarded}: security
 * headers, authentication (401), CSRF on state-changing requests (403), role (403), and the mapping of exceptions to
 * statuses. Nothing is registered on the application globally, so mounting leaves a host application alone.
 */
public final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    static final String CALLER = "durable-ops-caller";

    enum Access {
        /** Anyone: the login page, the stylesheet. */
        PUBLIC,
        /** Any signed-in user. */
        READ,
        /** Operators only. */
        ACT
    }

    private final Settings settings;
    private final Guard guard;
    private final Templates templates = new Templates();
    private final Pages pages;
    private final Api api;

    public Routes(Settings settings) {
        this.settings = settings;
        this.guard = new Guard(settings);
        this.pages = new Pages(settings, guard, templates);
        this.api = new Api(settings, guard);
    }

    @FunctionalInterface
    interface Handler {
        void handle(Context ctx, Guard.Caller caller) throws Exception;
    }

    public void register(Javalin app) {
        String p = settings.basePath();
        page(app, HandlerType.GET, p.isEmpty() ? "/" : p, Access.READ, pages::list);
        page(app, HandlerType.GET, p + "/login", Access.PUBLIC, pages::loginForm);
        page(app, HandlerType.POST, p + "/login", Access.PUBLIC, pages::login);
        page(app, HandlerType.POST, p + "/logout", Access.READ, pages::logout);
        page(app, HandlerType.GET, p + "/operations/{id}", Access.READ, pages::operation);
        page(app, HandlerType.POST, p + "/operations/{id}/{action}", Access.ACT, pages::act);
        page(app, HandlerType.GET, p + "/bulk/{action}", Access.ACT, pages::confirmBulk);
        page(app, HandlerType.POST, p + "/bulk/{action}", Access.ACT, pages::bulk);
        page(app, HandlerType.GET, p + "/audit", Access.READ, pages::audit);
        page(app, HandlerType.GET, p + "/assets/admin.css", Access.PUBLIC, pages::stylesheet);

        json(app, HandlerType.GET, p + "/api/operations", Access.READ, api::list);
        json(app, HandlerType.GET, p + "/api/operations/counts", Access.READ, api::counts);
        json(app, HandlerType.GET, p + "/api/operations/{id}", Access.READ, api::operation);
        json(app, HandlerType.POST, p + "/api/operations/{id}/{action}", Access.ACT, api::act);
        json(app, HandlerType.GET, p + "/api/bulk/{action}", Access.ACT, api::countBulk);
        json(app, HandlerType.POST, p + "/api/bulk/{action}", Access.ACT, api::bulk);
        json(app, HandlerType.GET, p + "/api/audit", Access.READ, api::audit);
        json(app, HandlerType.GET, p + "/api/definitions", Access.READ, api::definitions);
        json(app, HandlerType.GET, p + "/api/session", Access.READ, api::session);
    }

    private void page(Javalin app, HandlerType method, String path, Access access, Handler handler) {
        app.addHttpHandler(method, path, ctx -> guarded(ctx, method, false, access, handler));
    }

    private void json(Javalin app, HandlerType method, String path, Access access, Handler handler) {
        app.addHttpHandler(method, path, ctx -> guarded(ctx, method, true, access, handler));
    }

    private void guarded(Context ctx, HandlerType method, boolean isApi, Access access, Handler handler) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
        // no script at all: a value that escaped escaping still could not run
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'");
        try {
            Optional<Guard.Caller> caller = access == Access.PUBLIC && method == HandlerType.GET ? Optional.empty()
                    : guard.identify(ctx, isApi);
            if (access != Access.PUBLIC && caller.isEmpty()) {
                unauthorized(ctx, isApi);
                return;
            }
            if (method != HandlerType.GET) {
                String binding = caller.map(Guard.Caller::binding).orElseGet(() -> "session:" + guard.anonymousSession(ctx).id);
                if (!guard.csrfValid(ctx, binding)) {
                    problem(ctx, isApi, 403, isApi ? "missing or invalid CSRF token: send the token of GET "
                            + settings.basePath() + "/api/session in the " + Guard.CSRF_HEADER + " header"
                            : "this form has expired (missing or invalid CSRF token); go back, reload the page and try again");
                    return;
                }
            }
            if (access == Access.ACT && !caller.get().user().isOperator()) {
                problem(ctx, isApi, 403, "user '" + caller.get().user().name() + "' is read-only; this needs the OPERATOR role");
                return;
            }
            handler.handle(ctx, caller.orElse(null));
        } catch (HttpProblem e) {
            problem(ctx, isApi, e.status, e.getMessage());
        } catch (OperationNotFoundException e) {
            problem(ctx, isApi, 404, e.getMessage());
        } catch (InvalidQueryException | UnknownStepException | IllegalArgumentException e) {
            problem(ctx, isApi, 400, e.getMessage());
        } catch (IllegalOperationStateException | UnknownDefinitionException e) {
            problem(ctx, isApi, 409, e.getMessage());
        } catch (DurableOpsException e) {
            LOG.warn("admin UI request {} {} failed: {}", ctx.method(), ctx.path(), e.toString());
            problem(ctx, isApi, 500, e.getMessage());
        } catch (Exception e) {
            LOG.error("admin UI request {} {} failed", ctx.method(), ctx.path(), e);
            problem(ctx, isApi, 500, "internal error: " + e.getClass().getSimpleName() + "; see the server's log");
        }
    }

    private void unauthorized(Context ctx, boolean isApi) {
        if (isApi) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Durable Ops\", charset=\"UTF-8\"");
            problem(ctx, true, 401, "sign in: HTTP Basic credentials, or the session cookie of the login page");
            return;
        }
        pages.loginPage(ctx, 401, null, ctx.method() == HandlerType.GET ? pathAndQuery(ctx) : null);
    }

    void problem(Context ctx, boolean isApi, int status, String message) {
        if (isApi) {
            ctx.status(status).contentType("application/json").result(Api.write(Map.of("status", status, "error", message)));
        } else {
            pages.problemPage(ctx, status, message);
        }
    }

    static String pathAndQuery(Context ctx) {
        String query = ctx.queryString();
        return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }
}

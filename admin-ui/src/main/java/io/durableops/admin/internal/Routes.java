package io.durableops.admin.internal;

import io.durableops.core.DurableOpsException;
import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.ScheduleNotFoundException;
import io.durableops.core.StorageException;
import io.durableops.core.UnknownDefinitionException;
import io.durableops.core.UnknownStepException;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Registers the pages and the JSON API under the base path, and a catch-all for every other path under it. Every
 * handler runs inside {@link #guarded}: security headers, authentication (401), CSRF on state-changing requests
 * (403), role (403), body size (413), and the mapping of exceptions to statuses; no database message ever reaches
 * the client. Nothing is registered on the application globally, so mounting leaves a host application alone.
 */
public final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    /** The largest request body read, in bytes (Javalin's own default limit). */
    static final int MAX_BODY = 1_000_000;
    static final String REFRESH_HEADER = "X-Durable-Ops-Refresh";
    private static final String ANSWERED = "durable-ops-answered";

    enum Need {
        /** Anyone: the login page, the assets. */
        PUBLIC,
        /** Any signed-in user. */
        READ,
        /** Operators only. */
        ACT
    }

    private final Settings settings;
    private final Guard guard;
    private final Pages pages;
    private final SignIn signIn;
    private final AuditTrail auditTrail;
    private final Api api;
    private final SchedulePages schedules;
    private final SetAsidePages setAside;
    private final OperationPages operationPages;
    private final DefinitionPages definitionPages;
    private final ListPages list;
    private final BulkPages bulk;
    private final BulkRuns bulkRuns;

    public Routes(Settings settings) {
        this.settings = settings;
        this.guard = new Guard(settings);
        Templates templates = new Templates(settings.clock());
        Render render = new Render(settings, guard, templates);
        this.pages = new Pages(settings, render);
        this.signIn = new SignIn(settings, guard, render);
        this.auditTrail = new AuditTrail(settings, render);
        this.schedules = new SchedulePages(settings, render);
        this.setAside = new SetAsidePages(settings, render);
        this.operationPages = new OperationPages(settings, render);
        this.definitionPages = new DefinitionPages(settings, render);
        this.list = new ListPages(settings, render);
        this.bulkRuns = new BulkRuns(settings.clock());
        this.bulk = new BulkPages(settings, render, list, bulkRuns);
        this.api = new Api(settings, guard, bulkRuns, bulk);
    }

    /** Stops what the UI runs in the background (its bulk runs), step by step with a bounded wait; with the server. */
    public void stop() {
        bulkRuns.stop();
    }

    @FunctionalInterface
    interface Handler {
        void handle(Context ctx, Guard.Caller caller) throws Exception;
    }

    public void register(RoutesConfig app) {
        String p = settings.basePath();
        page(app, HandlerType.GET, p.isEmpty() ? "/" : p, Need.READ, list::list);
        page(app, HandlerType.GET, p + "/login", Need.PUBLIC, signIn::form);
        page(app, HandlerType.POST, p + "/login", Need.PUBLIC, signIn::login);
        page(app, HandlerType.POST, p + "/logout", Need.READ, signIn::logout);
        page(app, HandlerType.GET, p + "/operations/{id}", Need.READ, operationPages::operation);
        page(app, HandlerType.POST, p + "/operations/{id}/{action}", Need.ACT, pages::act);
        page(app, HandlerType.GET, p + "/bulk/{action}", Need.ACT, bulk::confirm);
        page(app, HandlerType.POST, p + "/bulk/{action}", Need.ACT, bulk::run);
        page(app, HandlerType.GET, p + "/bulk/runs/{id}", Need.READ, bulk::runPage);
        page(app, HandlerType.GET, p + "/audit", Need.READ, auditTrail::page);
        page(app, HandlerType.GET, p + "/definitions", Need.READ, definitionPages::page);
        page(app, HandlerType.GET, p + "/schedules", Need.READ, schedules::page);
        page(app, HandlerType.POST, p + "/schedules/{name}/{action}", Need.ACT, schedules::act);
        page(app, HandlerType.GET, p + "/set-aside", Need.READ, setAside::page);
        page(app, HandlerType.POST, p + "/set-aside/{item}/{action}", Need.ACT, setAside::act);
        page(app, HandlerType.GET, p + "/assets/{file}", Need.PUBLIC, pages::asset);

        json(app, HandlerType.GET, p + "/api/operations", Need.READ, api::list);
        json(app, HandlerType.GET, p + "/api/operations/counts", Need.READ, api::counts);
        json(app, HandlerType.GET, p + "/api/operations/failures", Need.READ, api::failures);
        json(app, HandlerType.GET, p + "/api/operations/{id}", Need.READ, api::operation);
        json(app, HandlerType.POST, p + "/api/operations/{id}/{action}", Need.ACT, api::act);
        json(app, HandlerType.GET, p + "/api/bulk/{action}", Need.ACT, api::countBulk);
        json(app, HandlerType.POST, p + "/api/bulk/{action}", Need.ACT, api::bulk);
        json(app, HandlerType.GET, p + "/api/bulk/runs/{id}", Need.READ, api::bulkRun);
        json(app, HandlerType.GET, p + "/api/audit", Need.READ, auditTrail::json);
        json(app, HandlerType.GET, p + "/api/definitions", Need.READ, definitionPages::api);
        json(app, HandlerType.GET, p + "/api/schedules", Need.READ, schedules::apiList);
        json(app, HandlerType.POST, p + "/api/schedules/{name}/{action}", Need.ACT, schedules::apiAct);
        json(app, HandlerType.GET, p + "/api/set-aside", Need.READ, setAside::apiList);
        json(app, HandlerType.POST, p + "/api/set-aside/{item}/{action}", Need.ACT, setAside::apiAct);
        json(app, HandlerType.GET, p + "/api/session", Need.READ, api::session);

        // every other path under the UI's is the UI's own 404 (or 405), with its headers: registered last, matched last
        for (HandlerType method : HandlerType.values()) {
            if (!method.isHttpMethod()) continue;
            if (!method.equals(HandlerType.GET)) app.addHttpHandler(method, p.isEmpty() ? "/" : p, ctx -> other(ctx, method, p));
            app.addHttpHandler(method, p + "/<rest>", ctx -> other(ctx, method, p));
        }
    }

    /** A path under the UI's that no route took, or a method it does not answer: its own 404 or 405. */
    private void other(Context ctx, HandlerType method, String p) {
        boolean isApi = ctx.path().startsWith(p + "/api/");
        if (method.equals(HandlerType.GET) || method.equals(HandlerType.POST)) {
            guarded(ctx, method, isApi, Need.READ, (c, caller) -> {
                throw new HttpProblem(404, "no page at " + c.path());
            });
            return;
        }
        Headers.apply(ctx.res());
        ctx.attribute(ANSWERED, true);
        ctx.header("Allow", "GET, POST");
        problem(ctx, isApi, 405, "this UI answers GET and POST only, not " + method.name(), null);
    }

    /**
     * For the UI on its own server: the security headers on every response, Javalin's and Jetty's own errors
     * included (a malformed request that never reaches a handler).
     */
    public void ownServer(JavalinConfig config) {
        config.routes.before(ctx -> Headers.apply(ctx.res()));
        for (int status : new int[] {400, 404, 405, 413, 414, 431, 500, 503}) {
            config.routes.error(status, ctx -> {
                if (ctx.attribute(ANSWERED) != null) return;
                problem(ctx, ctx.path().startsWith(settings.basePath() + "/api/"), status, ctx.status().getMessage(), null);
            });
        }
        config.jetty.modifyServer(server -> server.setErrorHandler(new SecureErrorHandler()));
    }

    private void page(RoutesConfig app, HandlerType method, String path, Need access, Handler handler) {
        app.addHttpHandler(method, path, ctx -> guarded(ctx, method, false, access, handler));
    }

    private void json(RoutesConfig app, HandlerType method, String path, Need access, Handler handler) {
        app.addHttpHandler(method, path, ctx -> guarded(ctx, method, true, access, handler));
    }

    private void guarded(Context ctx, HandlerType method, boolean isApi, Need access, Handler handler) {
        Headers.apply(ctx.res());
        ctx.attribute(ANSWERED, true);
        boolean get = method.equals(HandlerType.GET);
        Guard.Caller known = null;
        try {
            Optional<Guard.Caller> caller = access == Need.PUBLIC && get ? Optional.empty()
                    : guard.identify(ctx, isApi, ctx.header(REFRESH_HEADER) == null);
            known = caller.orElse(null);
            if (access != Need.PUBLIC && caller.isEmpty()) {
                unauthorized(ctx, isApi);
                return;
            }
            if (!get) {
                long length = ctx.contentLength();
                if (length > MAX_BODY) throw tooLarge(length);
                String binding = caller.map(Guard.Caller::binding).orElseGet(() -> guard.preBinding(ctx));
                if (!guard.csrfValid(ctx, binding)) {
                    caller.ifPresent(c -> denied(ctx, c, "missing or invalid CSRF token"));
                    problem(ctx, isApi, 403, isApi ? "missing or invalid CSRF token: send the token of GET "
                            + settings.basePath() + "/api/session in the " + Guard.CSRF_HEADER + " header"
                            : "this form has expired (missing or invalid CSRF token); go back, reload the page and try again", known);
                    return;
                }
            }
            if (access == Need.ACT && !caller.get().user().isOperator()) {
                denied(ctx, caller.get(), "read-only user");
                problem(ctx, isApi, 403, "user '" + caller.get().user().name() + "' is read-only; this needs the OPERATOR role", known);
                return;
            }
            // why here: a message search by a user who does not see data would be an oracle on encrypted messages
            if (access != Need.PUBLIC && Filters.one(ctx::queryParams, "message") != null && !caller.get().user().seesData()) {
                denied(ctx, caller.get(), "a search by error message by a user who does not see data");
                problem(ctx, isApi, 403, "user '" + caller.get().user().name() + "' does not see operation data, so cannot search "
                        + "error messages (they are encrypted); filter by the error class instead", known);
                return;
            }
            handler.handle(ctx, known);
        } catch (HttpProblem e) {
            if (e.status == 413) ctx.header("Connection", "close"); // the body was not read: this connection cannot carry another request
            if (e.retryAfter != null) ctx.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter.toMillis() + 999) / 1000)));
            problem(ctx, isApi, e.status, e.getMessage(), known);
        } catch (HttpResponseException e) {
            // Javalin's own refusals while reading the request: a body over the limit, a malformed form
            if (e.getStatus() == 413) ctx.header("Connection", "close");
            problem(ctx, isApi, e.getStatus(), e.getStatus() == 413 ? tooLarge(-1).getMessage() : "bad request: " + e.getMessage(), known);
        } catch (OperationNotFoundException | ScheduleNotFoundException e) {
            problem(ctx, isApi, 404, e.getMessage(), known);
        } catch (InvalidQueryException | UnknownStepException | IllegalArgumentException e) {
            problem(ctx, isApi, 400, e.getMessage(), known);
        } catch (IllegalOperationStateException | UnknownDefinitionException e) {
            problem(ctx, isApi, 409, e.getMessage(), known);
        } catch (StorageException e) {
            // its message may quote the database: the log has the class, the client a plain sentence
            LOG.warn("admin UI request {} {} failed: the database could not be read or written ({})", ctx.method(), ctx.path(),
                    e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
            LOG.debug("admin UI request failed", e);
            ctx.header("Retry-After", "5");
            problem(ctx, isApi, 503, "the database could not be read or written; try again in a moment "
                    + "(the server's log says more)", known);
        } catch (DurableOpsException e) {
            LOG.warn("admin UI request {} {} failed: {}", ctx.method(), ctx.path(), e.getClass().getSimpleName());
            problem(ctx, isApi, 500, e.getMessage(), known);
        } catch (Exception e) {
            LOG.error("admin UI request {} {} failed", ctx.method(), ctx.path(), e);
            problem(ctx, isApi, 500, "internal error: " + e.getClass().getSimpleName() + "; see the server's log", known);
        }
    }

    private static HttpProblem tooLarge(long length) {
        return new HttpProblem(413, "the request body is too large" + (length > 0 ? " (" + Text.count(length) + " bytes)" : "")
                + ": the limit is " + Text.count(MAX_BODY) + " bytes");
    }

    private void denied(Context ctx, Guard.Caller caller, String why) {
        String target = ctx.pathParamMap().get("id");
        OperationId op = target != null && Filters.looksLikeUuid(target) ? OperationId.parse(target) : null;
        guard.access.record(op, caller.user().name(), Access.DENIED,
                ctx.method().name() + " " + ctx.path() + ": " + why, guard.clientAddress(ctx));
    }

    private void unauthorized(Context ctx, boolean isApi) {
        if (isApi) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Durable Ops\", charset=\"UTF-8\"");
            problem(ctx, true, 401, "sign in: HTTP Basic credentials, or the session cookie of the login page", null);
            return;
        }
        signIn.page(ctx, 401, null, ctx.method().equals(HandlerType.GET) ? pathAndQuery(ctx) : null);
    }

    void problem(Context ctx, boolean isApi, int status, String message, Guard.Caller caller) {
        if (isApi) {
            ctx.status(status).contentType("application/json").result(Api.write(Map.of("status", status, "error", message)));
        } else {
            pages.render().problemPage(ctx, status, message, caller);
        }
    }

    static String pathAndQuery(Context ctx) {
        String query = ctx.queryString();
        return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }
}

package io.durableops.admin.internal;

import io.durableops.core.admin.AuditPage;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The audit trail, page and API: operator actions and access events (sign-in, sign-out, failed and throttled
 * sign-ins, refused actions), newest first, filtered and paged by keyset.
 * Filters: {@code actor}, {@code action}, {@code operation}, {@code client}, {@code from}, {@code to} (as the list's),
 * {@code before} (the sequence number to continue below) and {@code limit} (1 to 1000).
 */
final class AuditTrail {
    static final List<String> ACTIONS = List.of("retry", "retry-from", "move", "run-now", "expire", "fail", "cancel", "signal",
            SchedulePages.PAUSE, SchedulePages.RESUME, SchedulePages.TRIGGER,
            SetAsidePages.RELEASE, SetAsidePages.DISCARD,
            Access.SIGN_IN, Access.SIGN_OUT, Access.SIGN_IN_FAILED, Access.THROTTLED, Access.DENIED);

    private final Settings settings;
    private final Render render;

    AuditTrail(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
    }

    void page(Context ctx, Guard.Caller caller) {
        AuditQuery query = parse(ctx::queryParams);
        AuditPage page = settings.admin().auditPage(query);
        Map<String, Object> model = render.model(ctx, caller, "Audit trail");
        List<Map<String, Object>> entries = Views.audit(page.entries(), false);
        for (Map<String, Object> e : entries) {
            if (e.get("operationId") != null) e.put("url", render.base + "/operations/" + e.get("operationId"));
        }
        model.put("entries", entries);
        String filters = queryString(query);
        model.put("nextUrl", page.nextBefore().map(b -> url(join(filters, "before=" + b))).orElse(null));
        model.put("firstUrl", query.before().isPresent() ? url(filters) : null);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("actor", query.actor().orElse(""));
        f.put("action", query.action().orElse(""));
        f.put("operation", query.operationId().map(OperationId::toString).orElse(""));
        f.put("client", query.clientAddress().orElse(""));
        f.put("from", query.occurredFrom().map(t -> java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC).toString()).orElse(""));
        f.put("to", query.occurredBefore().map(t -> java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC).toString()).orElse(""));
        model.put("filter", f);
        model.put("actions", ACTIONS);
        model.put("filterText", query.toString());
        render.html(ctx, 200, "audit", model);
    }

    void json(Context ctx, Guard.Caller caller) {
        AuditPage page = settings.admin().auditPage(parse(ctx::queryParams));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", Views.audit(page.entries(), true));
        body.put("nextBefore", page.nextBefore().orElse(null));
        ctx.status(200).contentType("application/json").result(Api.write(body));
    }

    static AuditQuery parse(Function<String, List<String>> params) {
        AuditQuery.Builder b = AuditQuery.builder();
        try {
            b.actor(Filters.one(params, "actor"));
            b.action(Filters.one(params, "action"));
            String op = Filters.one(params, "operation");
            if (op != null) {
                if (!Filters.looksLikeUuid(op)) throw new HttpProblem(400, "operation: '" + op + "' is not an operation id (a UUID)");
                b.operationId(OperationId.parse(op));
            }
            b.clientAddress(Filters.one(params, "client"));
            String from = Filters.one(params, "from");
            if (from != null) b.occurredFrom(Filters.instant(from, "from"));
            String to = Filters.one(params, "to");
            if (to != null) b.occurredBefore(Filters.instant(to, "to"));
            String before = Filters.one(params, "before");
            if (before != null) b.before(number(before, "before", "a sequence number"));
            String limit = Filters.one(params, "limit");
            if (limit != null) b.limit((int) number(limit, "limit", "a number (1 to " + AuditQuery.MAX_LIMIT + ")"));
            return b.build();
        } catch (InvalidQueryException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    private static long number(String text, String name, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, name + ": '" + text + "' is not " + what);
        }
    }

    private static String queryString(AuditQuery q) {
        StringBuilder s = new StringBuilder();
        q.actor().ifPresent(v -> Filters.append(s, "actor", v));
        q.action().ifPresent(v -> Filters.append(s, "action", v));
        q.operationId().ifPresent(v -> Filters.append(s, "operation", v.toString()));
        q.clientAddress().ifPresent(v -> Filters.append(s, "client", v));
        q.occurredFrom().ifPresent(v -> Filters.append(s, "from", v.toString()));
        q.occurredBefore().ifPresent(v -> Filters.append(s, "to", v.toString()));
        if (q.limit() != AuditQuery.DEFAULT_LIMIT) Filters.append(s, "limit", Integer.toString(q.limit()));
        return s.toString();
    }

    private String url(String queryString) {
        return render.base + "/audit" + (queryString.isEmpty() ? "" : "?" + queryString);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "&" + b;
    }
}

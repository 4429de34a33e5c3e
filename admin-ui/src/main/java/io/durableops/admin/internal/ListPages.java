package io.durableops.admin.internal;

import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.FailureGroup;
import io.durableops.core.admin.LastError;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.admin.StatusCounts;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations list: counts per status, the filters (all kept in the URL), the failure groups of the filtered set,
 * the page of rows with their last errors, row selection, and the links to the bulk actions.
 */
final class ListPages {
    /** The most characters of an error's first line a row shows. */
    static final int ERROR_LINE = 200;

    private final Settings settings;
    private final Render render;
    private final String base;

    ListPages(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
        this.base = settings.basePath();
    }

    void list(Context ctx, Guard.Caller caller) {
        OperationQuery query = Filters.parse(ctx::queryParams);
        OperationPage page = settings.admin().list(query);
        // a message search is not counted (see MessageScan): the counts are those of the other filters
        boolean searching = query.errorMessage().isPresent();
        StatusCounts counts = settings.admin().countByStatus(searching ? query.toBuilder().errorMessage(null).build() : query,
                settings.listBound());
        String filters = Filters.queryString(query, true);
        boolean seesData = caller.user().seesData();

        Map<String, Object> model = render.model(ctx, caller, "Operations");
        if (!searching) render.live(model); // why: every refresh of a message search would decrypt its whole scan again
        model.put("seesData", seesData);
        Map<OperationId, LastError> errors = lastErrors(page, seesData, searching);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OperationSummary s : page.items()) {
            Map<String, Object> row = Views.summary(s, false);
            row.put("url", base + "/operations/" + s.id());
            LastError error = errors.get(s.id());
            if (error != null) row.put("error", errorView(error));
            rows.add(row);
        }
        model.put("rows", rows);
        List<Map<String, Object>> chips = new ArrayList<>();
        for (OperationStatus status : OperationStatus.values()) {
            OperationQuery only = query.toBuilder().cursor(null).statuses(status).build();
            chips.add(Map.of("status", status.name(), "count", countText(counts.count(status), counts.isCapped(status)),
                    "capped", counts.isCapped(status), "url", listUrl(Filters.queryString(only, true)),
                    "active", query.statuses().size() == 1 && query.statuses().contains(status)));
        }
        model.put("chips", chips);
        model.put("total", countText(counts.total(Set.of()), counts.anyCapped(Set.of())));
        model.put("totalCapped", counts.anyCapped(Set.of()));
        model.put("bound", Text.count(counts.bound()));
        model.put("allUrl", listUrl(Filters.queryString(query.toBuilder().cursor(null).statuses(List.of()).build(), true)));
        model.put("nextUrl", page.nextCursor().map(c -> listUrl(join(filters, "cursor=" + c))).orElse(null));
        page.messageScan().ifPresent(scan -> {
            Map<String, Object> m = new HashMap<>();
            m.put("scanned", scan.scanned());
            m.put("boundReached", scan.boundReached());
            m.put("stoppedEarly", scan.stoppedEarly());
            m.put("bound", query.messageScan());
            m.put("scannedTo", scan.scannedTo().orElse(null));
            model.put("scan", m);
        });
        model.put("firstUrl", query.cursor().isPresent() ? listUrl(filters) : null);
        model.put("filter", filterModel(query));
        model.put("sorts", Filters.SORTS.keySet());
        model.put("definitions", settings.admin().definitions());
        model.put("statuses", List.of(OperationStatus.values()).stream().map(Enum::name).toList());
        boolean showsFailed = query.statuses().isEmpty() || query.statuses().contains(OperationStatus.FAILED);
        model.put("groups", !searching && showsFailed && counts.count(OperationStatus.FAILED) > 0 ? groups(query) : List.of());
        model.put("groupsBounded", groupsBounded(counts, settings.failuresBound()));
        model.put("failuresBound", Text.count(settings.failuresBound()));
        String bulkQuery = Filters.queryString(query, false);
        List<Map<String, Object>> bulk = new ArrayList<>();
        for (BulkAction action : searching ? new BulkAction[0] : BulkAction.values()) {
            Set<OperationStatus> statuses = eligible(action, query);
            long n = counts.total(statuses);
            if (n > 0) bulk.add(Map.of("verb", BulkPages.verb(action), "label", BulkPages.label(action),
                    "count", countText(n, counts.anyCapped(statuses)),
                    "url", base + "/bulk/" + BulkPages.verb(action) + "?" + bulkQuery));
        }
        model.put("bulk", bulk);
        model.put("selectActions", List.of(BulkAction.values()).stream()
                .map(a -> Map.of("verb", BulkPages.verb(a), "label", BulkPages.label(a), "url", base + "/bulk/" + BulkPages.verb(a))).toList());
        render.html(ctx, 200, "list", model);
    }

    /**
     * The last error of each row that has stopped or is retrying (a completed one's earlier failed tries are history),
     * and of every row a message search found, since it was found by its error.
     */
    private Map<OperationId, LastError> lastErrors(OperationPage page, boolean seesData, boolean searching) {
        List<OperationId> ids = page.items().stream().filter(s -> searching || s.status() != OperationStatus.COMPLETED)
                .map(OperationSummary::id).toList();
        return ids.isEmpty() ? Map.of() : settings.admin().lastErrors(ids, seesData);
    }

    /** An error folded to one line: the class's simple name and the message's first line, clipped. */
    static Map<String, Object> errorView(LastError error) {
        Map<String, Object> m = new LinkedHashMap<>();
        String cls = error.errorClass();
        m.put("errorClass", cls);
        m.put("simpleName", cls.substring(cls.lastIndexOf('.') + 1));
        m.put("firstLine", error.message().map(ListPages::firstLine).orElse(null));
        m.put("attempt", error.attempt());
        m.put("step", error.step());
        m.put("occurredAt", error.occurredAt());
        return m;
    }

    static String firstLine(String message) {
        String line = message.strip();
        int end = line.indexOf('\n');
        if (end >= 0) line = line.substring(0, end).strip();
        return line.length() <= ERROR_LINE ? line : line.substring(0, ERROR_LINE - 1) + "…";
    }

    private List<Map<String, Object>> groups(OperationQuery query) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (FailureGroup g : settings.admin().failureGroups(query, settings.failuresBound())) {
            OperationQuery only = groupQuery(query, g);
            Map<String, Object> m = new HashMap<>();
            m.put("definition", g.definition());
            m.put("step", g.step());
            m.put("errorClass", g.errorClass().orElse(null));
            m.put("count", g.count());
            m.put("url", listUrl(Filters.queryString(only, true)));
            m.put("retryUrl", base + "/bulk/retry?" + Filters.queryString(only, false));
            list.add(m);
        }
        return list;
    }

    /** The list filtered to one group: its failed operations of the current filters. */
    static OperationQuery groupQuery(OperationQuery query, FailureGroup g) {
        return query.toBuilder().cursor(null).ids(List.of()).statuses(OperationStatus.FAILED).definition(g.definition())
                .currentStep(g.step()).errorClass(g.errorClass().orElse(query.errorClass().orElse(null))).build();
    }

    /** The statuses of the filtered set an action would change (the confirmation page counts them exactly). */
    private static Set<OperationStatus> eligible(BulkAction action, OperationQuery query) {
        Set<OperationStatus> statuses = EnumSet.copyOf(action.appliesTo());
        if (!query.statuses().isEmpty()) statuses.retainAll(query.statuses());
        return statuses;
    }

    /**
     * Whether the failure groups are of the newest {@code newest} failures only: more failed than that (a capped count is
     * above the list bound, which is at least {@code newest}).
     */
    static boolean groupsBounded(StatusCounts counts, int newest) {
        return counts.isCapped(OperationStatus.FAILED) || counts.count(OperationStatus.FAILED) > newest;
    }

    /** A count as the list shows it: "10,000+" when capped at the bound. */
    static String countText(long n, boolean capped) {
        return Text.count(n) + (capped ? "+" : "");
    }

    private static Map<String, Object> filterModel(OperationQuery query) {
        Map<String, Object> f = new HashMap<>();
        f.put("statuses", query.statuses().stream().map(Enum::name).toList());
        f.put("definition", query.definition().orElse(""));
        f.put("step", query.currentStep().orElse(""));
        f.put("from", query.createdFrom().map(ListPages::localInput).orElse(""));
        f.put("to", query.createdBefore().map(ListPages::localInput).orElse(""));
        f.put("q", query.id().map(OperationId::toString).or(() -> query.idPrefix().map(p -> p + "*")).or(query::idempotencyKey).orElse(""));
        f.put("attribute", query.searchAttribute().map(Map.Entry::getKey).orElse(""));
        f.put("value", query.searchAttribute().map(Map.Entry::getValue).orElse(""));
        f.put("parent", query.parentId().map(OperationId::toString).orElse(""));
        f.put("version", query.definitionVersion().map(String::valueOf).orElse(""));
        f.put("error", query.errorClass().orElse(""));
        f.put("message", query.errorMessage().orElse(""));
        f.put("scan", query.messageScan() == io.durableops.core.admin.MessageScan.DEFAULT_BOUND ? "" : Integer.toString(query.messageScan()));
        f.put("sort", Filters.sortName(query.sort()));
        f.put("ids", query.ids().stream().map(OperationId::toString).sorted().toList());
        f.put("bulkRun", query.bulkRun().map(java.util.UUID::toString).orElse(""));
        return f;
    }

    /** The value of a datetime-local input (UTC). */
    private static String localInput(Instant instant) {
        return java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC).toString();
    }

    /** The list with these query parameters. */
    String listUrl(String queryString) {
        return base + "/" + (queryString.isEmpty() ? "" : "?" + queryString);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "&" + b;
    }
}

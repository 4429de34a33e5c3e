package io.durableops.admin.internal;

import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSort;
import io.durableops.core.OperationStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The list's filters as request parameters, parsed into an {@link OperationQuery} (a malformed value is a 400 that
 * says what is accepted) and written back as a query string for links.
 * <ul>
 *   <li>{@code status}: repeated or comma-separated statuses</li>
 *   <li>{@code definition}, {@code step}: exact, or with {@code *} for any text ({@code billing-*})</li>
 *   <li>{@code from}, {@code to}: creation time, ISO-8601 ({@code 2026-11-21T10:00:00Z}), a date-time without zone
 *       (read as UTC) or a date</li>
 *   <li>{@code q}: an operation id, an id prefix ({@code 0a1b2c*}), or else an idempotency key (exact or with
 *       {@code *}); or explicitly {@code id} (an id or an id prefix) / {@code key}</li>
 *   <li>{@code error}: the class of the last error (exact or with {@code *})</li>
 *   <li>{@code message}: a text in the last error's message (ignoring case, {@code *} for any text), searched by
 *       decrypting within the bound {@code scan} (1 to 5,000 operations a page); only for users who see data</li>
 *   <li>{@code ids}: a selection of operation ids, repeated or comma-separated</li>
 *   <li>{@code bulkRun}: the id of a bulk run: the operations it changed</li>
 *   <li>{@code sort}: {@code created-desc} (the default), {@code created-asc}, {@code updated-desc}, {@code updated-asc}</li>
 *   <li>{@code attribute}, {@code value}: a declared search attribute and its value</li>
 *   <li>{@code parent}: the id of the operation whose children to list</li>
 *   <li>{@code version}: the definition version operations run on</li>
 *   <li>{@code limit}, {@code cursor}</li>
 * </ul>
 */
final class Filters {
    static final List<String> NAMES = List.of("status", "definition", "step", "from", "to", "q", "id", "key", "attribute", "value", "parent",
            "version", "error", "message", "scan", "ids", "bulkRun", "sort", "limit", "cursor");
    /** The sort orders by their parameter value, the default first. */
    static final Map<String, OperationSort> SORTS = sorts();

    private Filters() {
    }

    static OperationQuery parse(Function<String, List<String>> params) {
        OperationQuery.Builder b = OperationQuery.builder();
        try {
            b.statuses(statuses(params.apply("status")));
            b.definition(one(params, "definition"));
            b.currentStep(one(params, "step"));
            String from = one(params, "from");
            if (from != null) b.createdFrom(instant(from, "from"));
            String to = one(params, "to");
            if (to != null) b.createdBefore(instant(to, "to"));
            String q = one(params, "q");
            if (q != null) {
                if (looksLikeUuid(q)) b.id(OperationId.parse(q));
                else if (isIdPrefix(q)) b.idPrefix(q.substring(0, q.length() - 1));
                else b.idempotencyKey(q);
            }
            String id = one(params, "id");
            if (id != null) {
                if (isIdPrefix(id)) b.idPrefix(id.substring(0, id.length() - 1));
                else if (!looksLikeUuid(id)) throw new HttpProblem(400, "id: '" + id + "' is not an operation id (a UUID) or an id prefix (0a1b2c*)");
                else b.id(OperationId.parse(id));
            }
            b.errorClass(one(params, "error"));
            b.errorMessage(one(params, "message"));
            String scan = one(params, "scan");
            if (scan != null) b.messageScan(number(scan, "scan", "1 to " + io.durableops.core.admin.MessageScan.MAX_BOUND));
            b.ids(ids(params.apply("ids")));
            String run = one(params, "bulkRun");
            if (run != null) {
                if (!looksLikeUuid(run)) throw new HttpProblem(400, "bulkRun: '" + run + "' is not a bulk run's id (a UUID)");
                b.bulkRun(UUID.fromString(run));
            }
            String sort = one(params, "sort");
            if (sort != null) {
                OperationSort order = SORTS.get(sort.toLowerCase(java.util.Locale.ROOT));
                if (order == null) throw new HttpProblem(400, "sort: '" + sort + "' is not a sort order; use one of " + String.join(", ", SORTS.keySet()));
                b.sort(order);
            }
            String key = one(params, "key");
            if (key != null) b.idempotencyKey(key);
            String attribute = one(params, "attribute");
            String value = one(params, "value");
            if (attribute == null && value != null) throw new HttpProblem(400, "value: '" + value + "' needs a search attribute name (attribute)");
            b.searchAttribute(attribute, value);
            String parent = one(params, "parent");
            if (parent != null) {
                if (!looksLikeUuid(parent)) throw new HttpProblem(400, "parent: '" + parent + "' is not an operation id (a UUID)");
                b.parentId(OperationId.parse(parent));
            }
            String version = one(params, "version");
            if (version != null) {
                try {
                    b.definitionVersion(Integer.parseInt(version));
                } catch (NumberFormatException e) {
                    throw new HttpProblem(400, "version: '" + version + "' is not a definition version (a number)");
                }
            }
            String limit = one(params, "limit");
            if (limit != null) b.limit(number(limit, "limit", "1 to " + OperationQuery.MAX_LIMIT));
            b.cursor(one(params, "cursor"));
            return b.build();
        } catch (InvalidQueryException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    /** The filters of {@code q} (not its cursor) as a query string, {@code status=FAILED&definition=billing}. */
    static String queryString(OperationQuery q, boolean withLimit) {
        Map<String, String> params = new LinkedHashMap<>();
        StringBuilder s = new StringBuilder();
        for (OperationStatus status : sorted(q.statuses())) append(s, "status", status.name());
        q.definition().ifPresent(v -> params.put("definition", v));
        q.currentStep().ifPresent(v -> params.put("step", v));
        q.createdFrom().ifPresent(v -> params.put("from", v.toString()));
        q.createdBefore().ifPresent(v -> params.put("to", v.toString()));
        q.id().ifPresent(v -> params.put("id", v.toString()));
        q.idPrefix().ifPresent(v -> params.put("id", v + "*"));
        q.idempotencyKey().ifPresent(v -> params.put("key", v));
        q.errorClass().ifPresent(v -> params.put("error", v));
        q.errorMessage().ifPresent(v -> params.put("message", v));
        if (q.errorMessage().isPresent() && q.messageScan() != io.durableops.core.admin.MessageScan.DEFAULT_BOUND) {
            params.put("scan", Integer.toString(q.messageScan()));
        }
        q.searchAttribute().ifPresent(a -> {
            params.put("attribute", a.getKey());
            params.put("value", a.getValue());
        });
        q.parentId().ifPresent(v -> params.put("parent", v.toString()));
        q.definitionVersion().ifPresent(v -> params.put("version", v.toString()));
        q.bulkRun().ifPresent(v -> params.put("bulkRun", v.toString()));
        if (q.sort() != OperationSort.CREATED_DESC) params.put("sort", sortName(q.sort()));
        if (withLimit && q.limit() != OperationQuery.DEFAULT_LIMIT) params.put("limit", Integer.toString(q.limit()));
        params.forEach((k, v) -> append(s, k, v));
        for (OperationId id : q.ids().stream().sorted(java.util.Comparator.comparing(OperationId::toString)).toList()) append(s, "ids", id.toString());
        return s.toString();
    }

    /** The same filters as name/value pairs, for hidden form fields. */
    static List<Map<String, String>> hiddenFields(OperationQuery q) {
        List<Map<String, String>> fields = new ArrayList<>();
        for (String pair : queryString(q, false).split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            fields.add(Map.of("name", decode(kv[0]), "value", decode(kv.length > 1 ? kv[1] : "")));
        }
        return fields;
    }

    private static int number(String text, String name, String range) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, name + ": '" + text + "' is not a number (" + range + ")");
        }
    }

    private static Set<OperationStatus> statuses(List<String> values) {
        Set<OperationStatus> statuses = EnumSet.noneOf(OperationStatus.class);
        if (values == null) return statuses;
        for (String value : values) {
            for (String part : value.split(",")) {
                String name = part.trim().toUpperCase(java.util.Locale.ROOT);
                if (name.isEmpty()) continue;
                try {
                    statuses.add(OperationStatus.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new HttpProblem(400, "status: '" + part.trim() + "' is not a status; use one of "
                            + Arrays.toString(OperationStatus.values()));
                }
            }
        }
        return statuses;
    }

    private static Map<String, OperationSort> sorts() {
        Map<String, OperationSort> sorts = new LinkedHashMap<>();
        for (OperationSort sort : OperationSort.values()) sorts.put(sortName(sort), sort);
        return java.util.Collections.unmodifiableMap(sorts);
    }

    /** {@code created-desc} for {@link OperationSort#CREATED_DESC}. */
    static String sortName(OperationSort sort) {
        return sort.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static boolean isIdPrefix(String text) {
        return text.length() > 1 && text.endsWith("*") && text.substring(0, text.length() - 1).matches("[0-9a-fA-F-]{1,36}");
    }

    private static List<OperationId> ids(List<String> values) {
        List<OperationId> ids = new ArrayList<>();
        if (values == null) return ids;
        for (String value : values) {
            for (String part : value.split(",")) {
                String text = part.trim();
                if (text.isEmpty()) continue;
                if (!looksLikeUuid(text)) throw new HttpProblem(400, "ids: '" + text + "' is not an operation id (a UUID)");
                ids.add(OperationId.parse(text));
            }
        }
        return ids;
    }

    static Instant instant(String text, String name) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new HttpProblem(400, name + ": '" + text + "' is not a time; use ISO-8601 such as "
                            + "2026-11-21T10:00:00Z, 2026-11-21T10:00 (UTC) or 2026-11-21");
                }
            }
        }
    }

    static String one(Function<String, List<String>> params, String name) {
        List<String> values = params.apply(name);
        if (values == null || values.isEmpty()) return null;
        String value = values.get(0);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static boolean looksLikeUuid(String text) {
        try {
            return UUID.fromString(text.trim()).toString().equalsIgnoreCase(text.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<OperationStatus> sorted(Set<OperationStatus> statuses) {
        return statuses.stream().sorted().toList();
    }

    static void append(StringBuilder s, String name, String value) {
        if (s.length() > 0) s.append('&');
        s.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}

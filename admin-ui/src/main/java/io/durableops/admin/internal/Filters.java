package io.durableops.admin.internal;

import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationQuery;
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
 *   <li>{@code definition}, {@code step}</li>
 *   <li>{@code from}, {@code to}: creation time, ISO-8601 ({@code 2026-11-21T10:00:00Z}), a date-time without zone
 *       (read as UTC) or a date</li>
 *   <li>{@code q}: an operation id, or else an idempotency key; or explicitly {@code id} / {@code key}</li>
 *   <li>{@code attribute}, {@code value}: a declared search attribute and its value</li>
 *   <li>{@code parent}: the id of the operation whose children to list</li>
 *   <li>{@code version}: the definition version operations run on</li>
 *   <li>{@code limit}, {@code cursor}</li>
 * </ul>
 */
final class Filters {
    static final List<String> NAMES = List.of("status", "definition", "step", "from", "to", "q", "id", "key", "attribute", "value", "parent", "version", "limit", "cursor");

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
                else b.idempotencyKey(q);
            }
            String id = one(params, "id");
            if (id != null) {
                if (!looksLikeUuid(id)) throw new HttpProblem(400, "id: '" + id + "' is not an operation id (a UUID)");
                b.id(OperationId.parse(id));
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
            if (limit != null) {
                try {
                    b.limit(Integer.parseInt(limit));
                } catch (NumberFormatException e) {
                    throw new HttpProblem(400, "limit: '" + limit + "' is not a number (1 to " + OperationQuery.MAX_LIMIT + ")");
                }
            }
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
        q.idempotencyKey().ifPresent(v -> params.put("key", v));
        q.searchAttribute().ifPresent(a -> {
            params.put("attribute", a.getKey());
            params.put("value", a.getValue());
        });
        q.parentId().ifPresent(v -> params.put("parent", v.toString()));
        q.definitionVersion().ifPresent(v -> params.put("version", v.toString()));
        if (withLimit && q.limit() != OperationQuery.DEFAULT_LIMIT) params.put("limit", Integer.toString(q.limit()));
        params.forEach((k, v) -> append(s, k, v));
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

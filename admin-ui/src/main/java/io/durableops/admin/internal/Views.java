package io.durableops.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.durableops.core.AttemptView;
import io.durableops.core.admin.AuditEntry;
import io.durableops.core.Data;
import io.durableops.core.DurableOpsException;
import io.durableops.core.ErrorView;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.OperationView;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operations, attempts and audit entries as plain maps: for the templates (times formatted for people) and for the
 * JSON API (times as ISO-8601). Data is decrypted only when the user may see it; a payload that cannot be decrypted
 * shows the reason in its place.
 */
final class Views {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Views() {
    }

    static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    static String time(Optional<Instant> instant) {
        return instant.map(Views::time).orElse(null);
    }

    static Map<String, Object> summary(OperationSummary s, boolean forJson) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().toString());
        m.put("definition", s.definition());
        m.put("definitionVersion", s.definitionVersion());
        m.put("status", s.status().name());
        m.put("currentStep", s.currentStep());
        m.put("currentAttemptStatus", s.currentAttemptStatus().map(Enum::name).orElse(null));
        m.put("attemptCount", s.attemptCount());
        m.put("scheduledAt", when(s.scheduledAt().orElse(null), forJson));
        m.put("failureReason", s.failureReason().orElse(null));
        m.put("queuedReason", s.queuedReason().orElse(null));
        m.put("idempotencyKey", s.idempotencyKey().orElse(null));
        m.put("createdAt", when(s.createdAt(), forJson));
        m.put("updatedAt", when(s.updatedAt(), forJson));
        m.put("finishedAt", when(s.finishedAt().orElse(null), forJson));
        return m;
    }

    static Map<String, Object> operation(OperationView v, Optional<OperationSummary> summary, boolean seesData, boolean forJson) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id().toString());
        m.put("definition", v.definition());
        m.put("definitionVersion", v.definitionVersion());
        m.put("status", v.status().name());
        m.put("currentStep", v.currentStep());
        m.put("failureReason", v.failureReason().orElse(null));
        m.put("queuedReason", v.queuedReason().orElse(null));
        m.put("parentId", v.parentId().map(OperationId::toString).orElse(null));
        m.put("idempotencyKey", summary.flatMap(OperationSummary::idempotencyKey).orElse(null));
        m.put("currentAttemptStatus", summary.flatMap(OperationSummary::currentAttemptStatus).map(Enum::name).orElse(null));
        m.put("scheduledAt", when(summary.flatMap(OperationSummary::scheduledAt).orElse(null), forJson));
        m.put("createdAt", when(v.createdAt(), forJson));
        m.put("updatedAt", when(v.updatedAt(), forJson));
        m.put("finishedAt", when(v.finishedAt().orElse(null), forJson));
        if (seesData) {
            m.put("globals", data(v.globals(), forJson));
            m.put("results", data(v.results(), forJson));
        }
        return m;
    }

    static List<Map<String, Object>> attempts(List<AttemptView> attempts, boolean seesData, boolean forJson) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (AttemptView a : attempts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id().toString());
            m.put("step", a.step());
            m.put("visit", a.visit());
            m.put("status", a.status().name());
            m.put("attemptCount", a.attemptCount());
            m.put("scheduledAt", when(a.scheduledAt(), forJson));
            m.put("startedAt", when(a.startedAt().orElse(null), forJson));
            m.put("finishedAt", when(a.finishedAt().orElse(null), forJson));
            m.put("took", a.startedAt().flatMap(s -> a.finishedAt().map(f -> took(Duration.between(s, f)))).orElse(null));
            m.put("reason", a.reason().orElse(null));
            if (seesData) m.put("args", data(a.args(), forJson));
            List<Map<String, Object>> errors = new ArrayList<>();
            for (ErrorView e : a.errors()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("attempt", e.attempt());
                em.put("errorClass", e.errorClass());
                em.put("message", e.message());
                em.put("stackTrace", e.stackTrace());
                em.put("occurredAt", when(e.occurredAt(), forJson));
                errors.add(em);
            }
            m.put("errors", errors);
            list.add(m);
        }
        return list;
    }

    static List<Map<String, Object>> audit(List<AuditEntry> entries, boolean forJson) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (AuditEntry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", e.sequence());
            m.put("operationId", e.operationId() == null ? null : e.operationId().toString());
            m.put("actor", e.actor());
            m.put("action", e.action());
            m.put("detail", e.detail().orElse(null));
            m.put("occurredAt", when(e.occurredAt(), forJson));
            m.put("clientAddress", e.clientAddress().orElse(null));
            list.add(m);
        }
        return list;
    }

    /** JSON data for the API (a tree, or an {@code error}), or pretty-printed text for a page. */
    private static Object data(Data data, boolean forJson) {
        try {
            JsonNode tree = JSON.readTree(data.toJson());
            if (forJson) return tree;
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (DurableOpsException e) {
            return forJson ? Map.of("error", e.getMessage()) : "[" + e.getMessage() + "]";
        } catch (java.io.IOException e) {
            return forJson ? Map.of("error", "not JSON: " + e.getMessage()) : "[not JSON: " + e.getMessage() + "]";
        }
    }

    /** ISO-8601 text for the API; the instant itself for a page, whose template formats it ({@code |when}). */
    private static Object when(Instant instant, boolean forJson) {
        if (instant == null) return null;
        return forJson ? instant.toString() : instant;
    }

    private static String took(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        if (ms < 120_000) return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        return d.toMinutes() + " min";
    }
}

package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;
import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.OperationId;
import io.durableops.core.OperationNotFoundException;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.core.admin.AttemptDetail;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.admin.DefinitionView;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operation page and its actions: its facts, its step graph with the path it took, its timeline, each attempt
 * (with its JobRunr job when the dashboard is configured), its children, data and audit trail. What it offers fits
 * where the operation is: a step waiting for a signal shows what it waits for and when it times out, never "Run now".
 */
final class OperationPages {
    private final Settings settings;
    private final Render render;
    private final String base;

    OperationPages(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
        this.base = settings.basePath();
    }

    void operation(Context ctx, Guard.Caller caller) {
        OperationId id = Pages.pathId(ctx);
        OperationView view = settings.scheduler().find(id).orElseThrow(() -> new OperationNotFoundException(id));
        Optional<OperationSummary> summary = settings.admin().list(OperationQuery.builder().id(id).build()).items().stream().findFirst();
        AdminUser user = caller.user();
        Map<String, Object> model = render.model(ctx, caller, view.definition() + " " + id);
        render.live(model);
        model.put("op", Views.operation(view, summary, user.seesData(), false));
        view.parentId().ifPresent(parent -> model.put("parentUrl", base + "/operations/" + parent));
        OperationPage children = settings.admin().list(OperationQuery.builder().parentId(id).limit(Pages.CHILDREN_SHOWN).build());
        List<Map<String, Object>> childRows = new ArrayList<>();
        for (OperationSummary s : children.items()) {
            Map<String, Object> row = Views.summary(s, false);
            row.put("url", base + "/operations/" + s.id());
            childRows.add(row);
        }
        model.put("children", childRows);
        model.put("allChildrenUrl", children.nextCursor().isPresent() ? base + "/?parent=" + id : null);

        List<AttemptView> attempts = settings.scheduler().attempts(id);
        Map<UUID, AttemptDetail> details = details(id);
        Optional<DefinitionView> definition = settings.admin().describe(view.definition());
        DefinitionView.Version version = definition.flatMap(d -> d.version(view.definitionVersion())).orElse(null);
        model.put("attempts", attemptRows(attempts, details, version, user.seesData()));
        if (version != null) {
            model.put("graph", StepGraph.of("op", version, view.status(), attempts));
        } else {
            model.put("graphNote", definition.isEmpty() ? "The definition '" + view.definition() + "' is not registered in this runtime."
                    : "Version " + view.definitionVersion() + " of '" + view.definition() + "' is not registered in this runtime (registered: "
                    + definition.get().versions().stream().map(v -> String.valueOf(v.version())).collect(Collectors.joining(", ")) + ").");
        }
        model.put("timeline", Timeline.of(attempts, details, version, settings.clock().instant()));

        List<Map<String, Object>> audit = new ArrayList<>(Views.audit(settings.admin().auditPage(
                AuditQuery.builder().operationId(id).limit(AuditQuery.MAX_LIMIT).build()).entries(), false));
        Collections.reverse(audit); // oldest first, as the story of the operation
        model.put("audit", audit);
        List<String> steps = settings.admin().steps(view.definition());
        model.put("steps", steps);
        model.put("actionUrl", base + "/operations/" + id + "/");
        OperationStatus status = view.status();
        boolean stopped = status == OperationStatus.FAILED || status == OperationStatus.EXPIRED || status == OperationStatus.CANCELLED;
        AttemptView current = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        boolean scheduled = status == OperationStatus.RUNNING && current != null
                && summary.flatMap(OperationSummary::currentAttemptStatus).orElse(null) == AttemptStatus.SCHEDULED;
        DefinitionView.Step currentStep = current == null || version == null ? null : version.step(current.step()).orElse(null);
        Waiting waiting = scheduled && currentStep != null && currentStep.isWait()
                ? Waiting.of(currentStep, details.get(current.id())) : null;
        if (waiting != null) model.put("waiting", waiting.model());
        boolean later = scheduled && summary.flatMap(OperationSummary::scheduledAt).orElse(current.scheduledAt()).isAfter(settings.clock().instant());
        model.put("canRetry", stopped);
        model.put("canRetryFrom", stopped && !steps.isEmpty());
        // why only these two: a deploy strands an operation as PAUSED, or it failed on a step it should skip
        model.put("canMove", (status == OperationStatus.PAUSED || status == OperationStatus.FAILED) && !steps.isEmpty());
        // why: run now on a wait only evaluates it again; that is worth a button for a condition, not for a signal or children
        model.put("canRunNow", later && waiting == null);
        model.put("canCheckNow", scheduled && waiting != null && waiting.checkable());
        model.put("canStop", status == OperationStatus.RUNNING);
        model.put("seesData", user.seesData());
        render.html(ctx, 200, "operation", model);
    }

    private Map<UUID, AttemptDetail> details(OperationId id) {
        return settings.admin().attemptDetails(id).stream().collect(Collectors.toMap(AttemptDetail::attemptId, Function.identity()));
    }

    private List<Map<String, Object>> attemptRows(List<AttemptView> attempts, Map<UUID, AttemptDetail> details,
                                                  DefinitionView.Version version, boolean seesData) {
        List<Map<String, Object>> rows = Views.attempts(attempts, seesData, false);
        for (int i = 0; i < rows.size(); i++) {
            AttemptView a = attempts.get(i);
            AttemptDetail d = details.get(a.id());
            Map<String, Object> row = rows.get(i);
            DefinitionView.Step step = version == null ? null : version.step(a.step()).orElse(null);
            if (step != null && step.isWait()) row.put("waiting", Waiting.of(step, d).model());
            if (d == null) continue;
            row.put("reachedAt", d.createdAt());
            JobLinks.jobUrl(settings, d).ifPresent(url -> row.put("jobUrl", url));
        }
        return rows;
    }

    /** What a parked wait waits for and until when, for the page's facts; {@code checkable}: a condition, worth re-checking now. */
    record Waiting(String what, java.time.Instant deadline, boolean checkable) {
        static Waiting of(DefinitionView.Step step, AttemptDetail detail) {
            String what = switch (step.kind()) {
                case AWAIT_SIGNAL -> "signal " + step.signal().orElse("?");
                case WAIT_UNTIL -> "a condition (re-checked on its interval and on every signal)";
                case AWAIT_CHILDREN -> "its children";
                default -> "the operation it called (" + step.calls().orElse("?") + ")";
            };
            return new Waiting(what, detail == null ? null : detail.waitDeadline().orElse(null), step.kind() == DefinitionView.Kind.WAIT_UNTIL);
        }

        Map<String, Object> model() {
            Map<String, Object> m = new java.util.HashMap<>();
            m.put("what", what);
            m.put("deadline", deadline);
            return m;
        }
    }
}

package io.durableops.admin.internal;

import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.ErrorView;
import io.durableops.core.admin.AttemptDetail;
import io.durableops.core.admin.DefinitionView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An operation's attempts on one time axis, for an inline SVG ({@code timeline.peb}): one lane per attempt, with
 * <ul>
 *   <li>a wait as one bar from when it was reached to when it ended (or now);</li>
 *   <li>a delay, from when the step was reached to when it was due;</li>
 *   <li>the latest try as a bar from its start to its end (or now), a failed try as a mark where it failed;</li>
 *   <li>the gap after a failure until the next try was due, where it is known: the database keeps the start of the
 *       latest try only, so between two earlier failures the lane shows one dashed stretch (the wait and the try).</li>
 * </ul>
 * Times due in the future are not drawn past now; the lane's note says when.
 */
final class Timeline {
    static final int LEFT = 200;
    static final int AXIS = 720;
    static final int LANE = 26;
    static final int TOP = 28;

    private final Instant now;
    private Instant t0;
    private Instant t1;

    private Timeline(Instant now) {
        this.now = now;
    }

    static Map<String, Object> of(List<AttemptView> attempts, Map<UUID, AttemptDetail> details, DefinitionView.Version version, Instant now) {
        return new Timeline(now).build(attempts, details, version);
    }

    private Map<String, Object> build(List<AttemptView> attempts, Map<UUID, AttemptDetail> details, DefinitionView.Version version) {
        for (AttemptView a : attempts) {
            extend(reached(a, details.get(a.id())));
            a.startedAt().ifPresent(this::extend);
            a.finishedAt().ifPresent(this::extend);
            a.errors().forEach(e -> extend(e.occurredAt()));
            if (open(a)) extend(now);
            if (!a.scheduledAt().isAfter(now)) extend(a.scheduledAt());
        }
        if (t0 == null) t0 = t1 = now;
        if (!t1.isAfter(t0)) t1 = t0.plusMillis(1);
        List<Map<String, Object>> lanes = new ArrayList<>();
        Map<String, Long> visits = attempts.stream().collect(java.util.stream.Collectors.groupingBy(AttemptView::step, java.util.stream.Collectors.counting()));
        for (AttemptView a : attempts) {
            DefinitionView.Step step = version == null ? null : version.step(a.step()).orElse(null);
            lanes.add(lane(a, details.get(a.id()), step, lanes.size(), visits.get(a.step()) > 1));
        }
        List<Map<String, Object>> ticks = new ArrayList<>();
        Duration span = Duration.between(t0, t1);
        for (int i = 0; i <= 4; i++) {
            Duration offset = span.multipliedBy(i).dividedBy(4);
            ticks.add(Map.of("x", LEFT + AXIS * i / 4, "label", i == 0 ? "" : "+" + Durations.text(offset)));
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("lanes", lanes);
        t.put("ticks", ticks);
        t.put("width", LEFT + AXIS + 250);
        t.put("height", TOP + lanes.size() * LANE + 8);
        t.put("axisEnd", LEFT + AXIS);
        t.put("from", Views.time(t0) + " UTC");
        return t;
    }

    private Map<String, Object> lane(AttemptView a, AttemptDetail d, DefinitionView.Step step, int index, boolean revisited) {
        Instant reached = reached(a, d);
        List<Map<String, Object>> bars = new ArrayList<>();
        List<Map<String, Object>> marks = new ArrayList<>();
        String note = null;
        if (step != null && step.isWait()) {
            Instant end = open(a) ? now : a.finishedAt().orElse(reached);
            bars.add(bar(reached, end, "wait", (open(a) ? "waiting since " : "waited from ") + Views.time(reached)
                    + (open(a) ? "" : " to " + Views.time(end)) + " (" + Durations.text(Duration.between(reached, end)) + ")"));
            if (open(a)) note = d != null && d.waitDeadline().isPresent() ? "times out at " + Views.time(d.waitDeadline().get()) : "no timeout";
        } else {
            List<ErrorView> errors = a.errors();
            int tries = a.attemptCount();
            boolean awaitingRetry = a.status() == AttemptStatus.SCHEDULED && tries > 0 && errors.size() >= tries;
            // the first try's wait: a delay, or the time it queued
            if (tries <= 1 && a.scheduledAt().isAfter(reached)) {
                Instant due = a.scheduledAt().isAfter(now) ? now : a.scheduledAt();
                if (due.isAfter(reached)) bars.add(bar(reached, due, "delay", "delayed until " + Views.time(a.scheduledAt())));
            }
            Instant dueAt = a.scheduledAt().isAfter(reached) ? a.scheduledAt() : reached;
            if (tries == 1 && a.startedAt().isPresent() && a.startedAt().get().isAfter(dueAt)) {
                bars.add(bar(dueAt, a.startedAt().get(), "queue", "due " + Views.time(dueAt) + ", started "
                        + Durations.text(Duration.between(dueAt, a.startedAt().get())) + " later"));
            }
            if (tries <= 1 && a.status() == AttemptStatus.SCHEDULED && a.scheduledAt().isAfter(now)) note = "next run " + Views.time(a.scheduledAt());
            // earlier tries: known by when they failed
            Instant previous = reached;
            for (ErrorView e : errors) {
                if (e.attempt() < tries) {
                    bars.add(bar(previous, e.occurredAt(), "retry", "try " + e.attempt() + " (its wait and its run) ended "
                            + Views.time(e.occurredAt())));
                    if (e.attempt() == tries - 1 && a.startedAt().isPresent()) {
                        Instant due = a.scheduledAt().isBefore(e.occurredAt()) ? a.startedAt().get() : a.scheduledAt();
                        bars.add(bar(e.occurredAt(), due, "retry-wait", "after try " + e.attempt() + " failed, try " + tries
                                + " was due " + Views.time(due) + " (" + Durations.text(Duration.between(e.occurredAt(), due)) + " later)"));
                    }
                }
                marks.add(mark(e.occurredAt(), "try " + e.attempt() + " failed at " + Views.time(e.occurredAt()) + ": " + e.errorClass()));
                previous = e.occurredAt();
            }
            if (a.startedAt().isPresent()) {
                Instant start = a.startedAt().get();
                Instant end = a.status() == AttemptStatus.RUNNING ? now : a.finishedAt().orElse(start);
                String cls = awaitingRetry ? "run s-failed" : "run s-" + a.status().name().toLowerCase(java.util.Locale.ROOT);
                bars.add(bar(start, end, cls, "try " + tries + " ran from " + Views.time(start) + " for " + Durations.text(Duration.between(start, end))));
            }
            if (awaitingRetry) {
                Instant failedAt = a.finishedAt().orElse(previous);
                bars.add(bar(failedAt, a.scheduledAt().isAfter(now) ? now : a.scheduledAt(), "retry-wait",
                        "try " + (tries + 1) + " is due " + Views.time(a.scheduledAt())));
                note = "next try " + Views.time(a.scheduledAt());
            }
        }
        Map<String, Object> lane = new LinkedHashMap<>();
        lane.put("y", TOP + index * LANE);
        lane.put("ty", TOP + index * LANE + 15);
        String label = a.step() + (revisited ? " (visit " + a.visit() + ")" : "");
        lane.put("label", label.length() > 26 ? label.substring(0, 25) + "…" : label);
        lane.put("title", a.step() + ", visit " + a.visit() + ": " + a.status().name().toLowerCase(java.util.Locale.ROOT));
        lane.put("bars", bars);
        lane.put("marks", marks);
        lane.put("note", note);
        lane.put("noteX", LEFT + AXIS + 6);
        return lane;
    }

    private Map<String, Object> bar(Instant from, Instant to, String cls, String title) {
        int x = x(from);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("x", x);
        b.put("w", Math.max(2, x(to) - x));
        b.put("cls", cls);
        b.put("title", title);
        return b;
    }

    private Map<String, Object> mark(Instant at, String title) {
        return Map.of("x", x(at), "title", title);
    }

    private int x(Instant at) {
        if (at.isBefore(t0)) at = t0;
        if (at.isAfter(t1)) at = t1;
        double f = (double) Duration.between(t0, at).toNanos() / Duration.between(t0, t1).toNanos();
        return LEFT + (int) Math.round(f * AXIS);
    }

    private void extend(Instant at) {
        if (t0 == null || at.isBefore(t0)) t0 = at;
        if (t1 == null || at.isAfter(t1)) t1 = at;
    }

    private static boolean open(AttemptView a) {
        return a.status() == AttemptStatus.SCHEDULED || a.status() == AttemptStatus.RUNNING;
    }

    private static Instant reached(AttemptView a, AttemptDetail d) {
        if (d != null) return d.createdAt();
        return a.startedAt().filter(s -> s.isBefore(a.scheduledAt())).orElse(a.scheduledAt());
    }
}

package io.durableops.admin.internal;

import io.durableops.core.DurableOpsException;
import io.durableops.core.OperationId;
import io.durableops.core.Schedule;
import io.durableops.core.ScheduleNotFoundException;
import io.durableops.core.ScheduleView;
import io.durableops.core.Schedules;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedules page and its API: every stored schedule with its timing, policies and ticks, and, for operators,
 * pause, resume and trigger-now. {@link Schedules} has no audited operator of its own, so each action is recorded here,
 * once it succeeded, as an access event of the caller ({@link Access}) with the schedule's name (and, for a trigger,
 * the operation it started).
 */
final class SchedulePages {
    static final String PAUSE = "schedule-pause";
    static final String RESUME = "schedule-resume";
    static final String TRIGGER = "schedule-trigger";

    private final Settings settings;
    private final Render render;
    private final String base;

    SchedulePages(Settings settings, Render render) {
        this.settings = settings;
        this.render = render;
        this.base = settings.basePath();
    }

    void page(Context ctx, Guard.Caller caller) {
        Map<String, Object> model = render.model(ctx, caller, "Schedules");
        render.live(model);
        model.put("available", settings.schedules() != null);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (settings.schedules() != null) {
            for (ScheduleView s : settings.schedules().list()) {
                Map<String, Object> row = view(s, false);
                row.put("actionUrl", base + "/schedules/" + encode(s.name()) + "/");
                s.lastOperation().ifPresent(id -> row.put("lastOperationUrl", base + "/operations/" + id));
                rows.add(row);
            }
        }
        model.put("schedules", rows);
        render.html(ctx, 200, "schedules", model);
    }

    void act(Context ctx, Guard.Caller caller) {
        String name = ctx.pathParam("name");
        String done;
        try {
            done = perform(ctx, caller, name, ctx.pathParam("action"));
        } catch (HttpProblem | ScheduleNotFoundException e) {
            throw e;
        } catch (DurableOpsException | IllegalArgumentException e) {
            render.flash(caller, e.getMessage(), true);
            ctx.redirect(base + "/schedules", HttpStatus.SEE_OTHER);
            return;
        }
        render.flash(caller, done, false);
        ctx.redirect(base + "/schedules", HttpStatus.SEE_OTHER);
    }

    void apiList(Context ctx, Guard.Caller caller) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schedules", schedules().list().stream().map(s -> view(s, true)).toList());
        json(ctx, body);
    }

    void apiAct(Context ctx, Guard.Caller caller) {
        String name = ctx.pathParam("name");
        String action = ctx.pathParam("action");
        perform(ctx, caller, name, action);
        Map<String, Object> body = view(schedules().find(name).orElseThrow(() -> new ScheduleNotFoundException(name)), true);
        json(ctx, body);
    }

    /** Pauses, resumes or triggers; records it; returns the sentence of the flash. */
    private String perform(Context ctx, Guard.Caller caller, String name, String action) {
        Schedules schedules = schedules();
        String actor = caller.user().name();
        String address = render.guard.clientAddress(ctx);
        String detail = "schedule " + name;
        switch (action) {
            case "pause" -> {
                schedules.pause(name);
                render.guard.access.record(null, actor, PAUSE, detail, address);
                return "Paused schedule '" + name + "': it starts nothing until resumed.";
            }
            case "resume" -> {
                ScheduleView after = schedules.resume(name);
                render.guard.access.record(null, actor, RESUME, detail, address);
                return "Resumed schedule '" + name + "'" + after.nextTickAt().map(t -> "; next tick at " + Views.time(t) + " UTC.").orElse(".");
            }
            case "trigger" -> {
                OperationId started = schedules.trigger(name);
                render.guard.access.record(started, actor, TRIGGER, detail, address);
                return "Triggered schedule '" + name + "': operation " + started + " started.";
            }
            default -> throw new HttpProblem(404, "no schedule action '" + action + "'; actions: pause, resume, trigger");
        }
    }

    private Schedules schedules() {
        if (settings.schedules() == null) {
            throw new HttpProblem(404, "this admin UI was built without schedules: use AdminUi.builder(ops), or schedules(...) on its builder");
        }
        return settings.schedules();
    }

    static Map<String, Object> view(ScheduleView s, boolean forJson) {
        Schedule schedule = s.schedule();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("definition", s.definition());
        m.put("timing", schedule.describe());
        m.put("cron", schedule.cronExpression().orElse(null));
        m.put("interval", schedule.interval().map(Object::toString).orElse(null));
        m.put("zone", schedule.zone().getId());
        m.put("overlap", schedule.overlap().name());
        m.put("catchUp", schedule.catchUpTicks());
        m.put("paused", s.paused());
        m.put("pauseReason", s.pauseReason().orElse(null));
        m.put("nextTickAt", when(s.nextTickAt().orElse(null), forJson));
        m.put("lastTickAt", when(s.lastTickAt().orElse(null), forJson));
        m.put("lastOperation", s.lastOperation().map(OperationId::toString).orElse(null));
        m.put("bufferedTickAt", when(s.bufferedTickAt().orElse(null), forJson));
        m.put("skippedTicks", s.skippedTicks());
        return m;
    }

    private static Object when(java.time.Instant instant, boolean forJson) {
        return instant == null ? null : forJson ? instant.toString() : instant;
    }

    /** A schedule's name as one path segment. */
    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void json(Context ctx, Object body) {
        ctx.status(200).contentType("application/json").result(Api.write(body));
    }
}

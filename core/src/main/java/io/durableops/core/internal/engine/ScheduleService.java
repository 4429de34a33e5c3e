package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.ConfigurationException;
import io.durableops.core.DurableOpsException;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.Schedule;
import io.durableops.core.ScheduleNotFoundException;
import io.durableops.core.ScheduleView;
import io.durableops.core.Schedules;
import io.durableops.core.internal.Logs;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.schedule.Cron;
import io.durableops.core.internal.store.ScheduleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Schedules: storing them, and the relay's pass that starts the operations of due ticks. A tick is taken under the
 * schedule row's lock, its operation inserted (idempotency key {@code schedule:<name>:<tick>}) and the next tick written
 * in one transaction: any number of nodes start exactly one operation per tick.
 */
public final class ScheduleService implements Schedules {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);
    private static final int BATCH = 100;
    /** Missed ticks counted one by one after an outage, at most; beyond, the schedule jumps to its next tick. */
    private static final int MOST_COUNTED = 100_000;
    private static final int MOST_NAME = 150;

    private final Engine engine;
    private final Dispatch dispatch;
    private final ScheduleStore store = new ScheduleStore();

    public ScheduleService(Engine engine, Dispatch dispatch) {
        this.engine = engine;
        this.dispatch = dispatch;
    }

    @Override
    public ScheduleView put(String name, String definition, Schedule schedule, Map<String, ?> input) {
        requireName(name);
        Objects.requireNonNull(schedule, "schedule");
        CompiledDefinition target = engine.definitions().get(definition); // throws UnknownDefinitionException
        ObjectNode given = engine.codec().toObject(input == null ? Map.of() : input, "the input of schedule '" + name + "'");
        Instant now = engine.now();
        NewOperation.requireInputs(target, NewOperation.present(tickInput(given, name, now))); // why: input that never fits fails now
        byte[] sealed = engine.codec().seal(given, "the input of schedule '" + name + "'");
        try {
            return view(store(name, definition, schedule, sealed, now));
        } catch (NameTaken taken) {
            // why again: another node stored the same new schedule meanwhile (every node declares it at start-up); the row
            // exists now, and the second try changes it
            return view(store(name, definition, schedule, sealed, now));
        }
    }

    /** Thrown out of a transaction whose insert found the name taken, so that it rolls back before it is run again. */
    private static final class NameTaken extends RuntimeException {
        NameTaken() {
            super(null, null, false, false);
        }
    }

    private ScheduleStore.Row store(String name, String definition, Schedule schedule, byte[] sealed, Instant now) {
        return engine.tx().run("store schedule '" + name + "'", c -> {
            Optional<ScheduleStore.Row> existing = store.find(c, name, true);
            ScheduleStore.Row row;
            if (existing.isEmpty()) {
                row = new ScheduleStore.Row(name, definition, schedule.describe(), schedule.overlap().name(), schedule.catchUpTicks(), sealed,
                        false, now, ticks(schedule, now).apply(now), null, null, null, 0, null, now, now);
                try {
                    store.insert(c, row);
                } catch (SQLException e) {
                    if (engine.tx().isDuplicateKey(e)) throw new NameTaken();
                    throw e;
                }
            } else {
                ScheduleStore.Row old = existing.get();
                boolean retimed = !old.timing().equals(schedule.describe());
                Instant anchor = retimed ? now : old.anchorAt();
                Instant next = retimed || old.nextTickAt() == null ? ticks(schedule, anchor).apply(now) : old.nextTickAt();
                row = old.changed(definition, schedule.describe(), schedule.overlap().name(), schedule.catchUpTicks(), sealed, anchor, next, now);
                store.update(c, row);
            }
            return row;
        });
    }

    @Override
    public ScheduleView pause(String name) {
        return view(change(name, "pause", (c, r, now) -> r.paused(true, null, null, now)));
    }

    @Override
    public ScheduleView resume(String name) {
        return view(change(name, "resume", (c, r, now) -> r.paused(false, ticks(schedule(r), r.anchorAt()).apply(now), null, now)));
    }

    @Override
    public OperationId trigger(String name) {
        List<NewOperation> started = new ArrayList<>();
        ScheduleStore.Row row = change(name, "trigger", (c, r, now) -> {
            started.clear();
            NewOperation op = NewOperation.prepare(engine, engine.definitions().get(r.definition()), tickInput(input(r), name, now),
                    EnqueueOptions.defaults(), 1, null);
            op.insertOrFind(engine, c);
            started.add(op);
            return r.triggered(op.operation().id(), now);
        });
        dispatch.sendNew(started);
        return OperationId.of(row.lastOperationId());
    }

    @Override
    public boolean delete(String name) {
        return engine.tx().run("delete schedule '" + name + "'", c -> store.delete(c, name));
    }

    @Override
    public Optional<ScheduleView> find(String name) {
        return engine.tx().auto("read schedule '" + name + "'", c -> store.find(c, name, false)).map(this::view);
    }

    @Override
    public List<ScheduleView> list() {
        return engine.tx().auto("list schedules", store::all).stream().map(this::view).toList();
    }

    /** The relay's pass: starts the operations of the ticks due at {@code now} of the schedules this node can run. */
    public void pass(Instant now) {
        for (String name : engine.tx().auto("find due schedules", c -> store.due(c, now, BATCH))) {
            try {
                tick(name, now);
            } catch (RuntimeException e) {
                LOG.warn("the tick of schedule '{}' failed; it is tried again on the next pass: {}", name, Logs.describe(e));
            }
        }
    }

    private void tick(String name, Instant now) {
        List<NewOperation> started = new ArrayList<>();
        String[] pausedBecause = new String[1];
        engine.tx().run("tick schedule '" + name + "'", c -> {
            started.clear();
            pausedBecause[0] = null;
            ScheduleStore.Row r = store.find(c, name, true).orElse(null);
            if (r == null || r.paused() || engine.definitions().find(r.definition()).isEmpty()) return null; // why: another build has it
            try {
                store.update(c, ticked(c, r, now, started));
            } catch (DurableOpsException e) {
                // why pause: an input that no longer fits (a deploy added a required input) or cannot be decrypted fails
                // every tick alike; paused with the reason, it is visible and stops trying
                pausedBecause[0] = Logs.describe(e);
                started.clear();
                store.update(c, r.paused(true, null, cut(e.getMessage()), now));
            }
            return null;
        });
        if (pausedBecause[0] != null) LOG.warn("schedule '{}' paused itself: its tick cannot start an operation ({})", name, pausedBecause[0]);
        dispatch.sendNew(started);
    }

    private ScheduleStore.Row ticked(Connection c, ScheduleStore.Row r, Instant now, List<NewOperation> started) throws SQLException {
        Schedule s = schedule(r);
        java.util.function.UnaryOperator<Instant> after = ticks(s, r.anchorAt());
        List<Instant> due = new ArrayList<>();
        long skipped = r.skippedTicks();
        Instant next = r.nextTickAt();
        for (int counted = 0; next != null && !next.isAfter(now); counted++) {
            if (counted == MOST_COUNTED) {
                next = after.apply(now); // why: a year's outage of a per-second schedule is not walked tick by tick
                break;
            }
            due.add(next);
            if (due.size() > s.catchUpTicks()) {
                due.remove(0);
                skipped++;
            }
            next = after.apply(next);
        }
        UUID last = r.lastOperationId();
        Instant lastTick = r.lastTickAt();
        Instant buffered = r.bufferedTickAt();
        boolean previousRunning = last != null && isRunning(c, last);
        if (buffered != null && !previousRunning) {
            last = start(c, r, buffered, started);
            lastTick = buffered;
            buffered = null;
            previousRunning = true;
        }
        for (Instant tick : due) {
            if (previousRunning && s.overlap() == Schedule.Overlap.SKIP) {
                skipped++;
            } else if (previousRunning && s.overlap() == Schedule.Overlap.BUFFER_ONE) {
                if (buffered != null) skipped++;
                buffered = tick;
            } else {
                last = start(c, r, tick, started);
                lastTick = tick;
                previousRunning = true;
            }
        }
        return r.ticked(next, lastTick, last, buffered, skipped, now);
    }

    private UUID start(Connection c, ScheduleStore.Row r, Instant tick, List<NewOperation> started) throws SQLException {
        NewOperation op = NewOperation.prepare(engine, engine.definitions().get(r.definition()), tickInput(input(r), r.name(), tick),
                EnqueueOptions.idempotencyKey("schedule:" + r.name() + ":" + tick), 1, null);
        OperationId id = op.insertOrFind(engine, c);
        if (id.equals(op.id())) started.add(op);
        return id.value();
    }

    private boolean isRunning(Connection c, UUID operation) throws SQLException {
        return engine.store().findOperation(c, operation).map(o -> !o.status().isTerminal()).orElse(false);
    }

    private ObjectNode input(ScheduleStore.Row r) {
        return engine.codec().open(r.input(), "the input of schedule '" + r.name() + "'");
    }

    private static ObjectNode tickInput(ObjectNode input, String name, Instant tick) {
        ObjectNode in = input.deepCopy();
        if (!in.has("schedule")) in.put("schedule", name);
        if (!in.has("scheduledFor")) in.put("scheduledFor", tick.toString());
        return in;
    }

    /**
     * The ticks of {@code s}: for a time, the first tick after it (a cron time, or the anchor plus a whole number of
     * intervals). The cron expression is parsed once, not at each of the ticks a catch-up walks.
     */
    static java.util.function.UnaryOperator<Instant> ticks(Schedule s, Instant anchor) {
        if (s.interval().isPresent()) {
            long step = s.interval().get().toMillis();
            return after -> {
                long since = Duration.between(anchor, after).toMillis();
                return anchor.plusMillis((since < 0 ? 1 : since / step + 1) * step);
            };
        }
        Cron cron = Cron.parse(s.cronExpression().orElseThrow());
        ZoneId zone = s.zone();
        return after -> cron.next(after, zone);
    }

    /** The schedule a row describes ({@link Schedule#describe()}, its policies beside it). */
    static Schedule schedule(ScheduleStore.Row r) {
        String timing = r.timing();
        Schedule base;
        if (timing.startsWith("every ")) {
            base = Schedule.every(Duration.parse(timing.substring("every ".length())));
        } else {
            String body = timing.substring("cron ".length());
            int zone = body.lastIndexOf(' ');
            base = Schedule.cron(body.substring(0, zone)).inZone(ZoneId.of(body.substring(zone + 1)));
        }
        return base.onOverlap(Schedule.Overlap.valueOf(r.overlap())).catchUp(r.catchUp());
    }

    private ScheduleView view(ScheduleStore.Row r) {
        return new ScheduleView(r.name(), r.definition(), schedule(r), r.paused(), Optional.ofNullable(r.nextTickAt()),
                Optional.ofNullable(r.lastTickAt()), Optional.ofNullable(r.lastOperationId()).map(OperationId::of),
                Optional.ofNullable(r.bufferedTickAt()), r.skippedTicks(), Optional.ofNullable(r.lastError()));
    }

    private interface Change {
        ScheduleStore.Row apply(Connection c, ScheduleStore.Row row, Instant now) throws SQLException;
    }

    private ScheduleStore.Row change(String name, String what, Change change) {
        return engine.tx().run(what + " schedule '" + name + "'", c -> {
            ScheduleStore.Row r = store.find(c, name, true).orElseThrow(() -> new ScheduleNotFoundException(name));
            Instant now = engine.now();
            ScheduleStore.Row changed = change.apply(c, r, now);
            store.update(c, changed);
            return changed;
        });
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > MOST_NAME) {
            throw new ConfigurationException("a schedule's name must be 1 to " + MOST_NAME + " characters, was '" + name + "'");
        }
    }

    private static String cut(String reason) {
        return reason.length() <= 2000 ? reason : reason.substring(0, 1999) + "…";
    }
}

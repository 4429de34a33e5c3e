package io.durableops.core;

import io.durableops.core.internal.schedule.Cron;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule starts its operations: a cron expression in a time zone, or a fixed interval; what happens when a
 * tick comes while the previous operation still runs ({@link Overlap}); and how many ticks missed while no node ran
 * are made up for ({@link #catchUp(int)}). Immutable: start from {@link #cron(String)} or {@link #every(Duration)} and
 * chain, e.g. {@code Schedule.cron("0 2 * * *").inZone(ZoneId.of("Europe/Brussels")).onOverlap(Overlap.SKIP)}.
 * See docs/flow-control.md.
 */
public final class Schedule {
    /** What a tick does while the operation of the schedule's previous tick has not ended. */
    public enum Overlap {
        /** The tick is skipped (counted in {@link ScheduleView#skippedTicks()}). The default. */
        SKIP,
        /** The latest such tick waits and starts as soon as the previous operation ends; earlier ones are skipped. */
        BUFFER_ONE,
        /** The tick starts its operation anyway: several may run at once. */
        ALLOW_ALL
    }

    private static final int MOST_CATCH_UP = 1000;

    private final Cron cron;
    private final Duration interval;
    private final ZoneId zone;
    private final Overlap overlap;
    private final int catchUp;

    private Schedule(Cron cron, Duration interval, ZoneId zone, Overlap overlap, int catchUp) {
        this.cron = cron;
        this.interval = interval;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.overlap = Objects.requireNonNull(overlap, "overlap");
        if (catchUp < 1 || catchUp > MOST_CATCH_UP) {
            throw new ConfigurationException("catchUp(...) must be 1 to " + MOST_CATCH_UP + " (the most recent missed tick always runs), was " + catchUp);
        }
        this.catchUp = catchUp;
    }

    /**
     * Ticks at the times a cron expression matches: five fields (minute hour day-of-month month day-of-week) or six
     * with seconds first; in UTC unless {@link #inZone} says otherwise.
     */
    public static Schedule cron(String expression) {
        try {
            return new Schedule(Cron.parse(expression), null, ZoneOffset.UTC, Overlap.SKIP, 1);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /** Ticks every {@code interval} (at least one second), counted from when the schedule was first stored. */
    public static Schedule every(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofDays(3660)) > 0) {
            throw new ConfigurationException("a schedule's interval must be 1 s to 10 years, was " + interval);
        }
        return new Schedule(null, interval, ZoneOffset.UTC, Overlap.SKIP, 1);
    }

    /** The time zone the cron expression is read in (its hours and days); no effect on an interval. */
    public Schedule inZone(ZoneId zone) {
        return new Schedule(cron, interval, zone, overlap, catchUp);
    }

    /** What a tick does while the previous tick's operation still runs; {@link Overlap#SKIP} by default. */
    public Schedule onOverlap(Overlap overlap) {
        return new Schedule(cron, interval, zone, overlap, catchUp);
    }

    /**
     * How many of the ticks that passed while no node could act (an outage, every node stopped) run when a node is back:
     * the most recent {@code ticks} of them (1 to 1000; 1 by default). The others are skipped.
     */
    public Schedule catchUp(int ticks) {
        return new Schedule(cron, interval, zone, overlap, ticks);
    }

    public Optional<String> cronExpression() {
        return Optional.ofNullable(cron).map(Cron::expression);
    }

    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    public ZoneId zone() {
        return zone;
    }

    public Overlap overlap() {
        return overlap;
    }

    public int catchUpTicks() {
        return catchUp;
    }

    /** The cron expression or interval and the zone, as stored: {@code cron 0 2 * * * Europe/Brussels} or {@code every PT1H}. */
    public String describe() {
        return cron != null ? "cron " + cron.expression() + " " + zone.getId() : "every " + interval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && describe().equals(s.describe()) && overlap == s.overlap && catchUp == s.catchUp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(describe(), overlap, catchUp);
    }

    @Override
    public String toString() {
        return describe() + ", overlap " + overlap + ", catch up " + catchUp;
    }
}
